-- The reference actions' ledger. Money is an integer count of the
-- currency's minor units (ISO 4217: cents for USD, whole yen for JPY).
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY,
    balance_minor INTEGER NOT NULL CHECK (balance_minor >= 0),
    currency TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bills (
    biller TEXT PRIMARY KEY,
    due_minor INTEGER NOT NULL CHECK (due_minor >= 0),
    currency TEXT NOT NULL,
    due_date TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS payments (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    payee TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    account TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    -- When a later day was asked for, as said ("tomorrow"): the money is
    -- set aside at once and paid out that day.
    scheduled TEXT
);
CREATE INDEX IF NOT EXISTS payments_by_key ON payments (key, at_ms);
CREATE TABLE IF NOT EXISTS rides (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    destination TEXT NOT NULL,
    pickup TEXT,
    ride_type TEXT NOT NULL,
    driver TEXT NOT NULL,
    car TEXT NOT NULL,
    pickup_eta_s INTEGER NOT NULL,
    trip_s INTEGER NOT NULL,
    fare_cents INTEGER NOT NULL,
    requested_ms INTEGER NOT NULL,
    -- When a later pickup was asked for, as said ("tomorrow at 5:30 pm").
    scheduled TEXT,
    cancelled_ms INTEGER
);
CREATE TABLE IF NOT EXISTS food_orders (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    dish TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    restaurant TEXT NOT NULL,
    total_cents INTEGER NOT NULL,
    eta_s INTEGER NOT NULL,
    ordered_ms INTEGER NOT NULL,
    cancelled_ms INTEGER
);
