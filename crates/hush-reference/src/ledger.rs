//! The reference actions' store: one SQLite file (rusqlite, SQLite bundled)
//! holding accounts, bills, payments, rides and food orders, so that a demo
//! leaves something to inspect (`hush ledger`).

use parking_lot::Mutex;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

const SCHEMA: &str = include_str!("schema.sql");
/// Accounts and bills a fresh ledger starts with.
const SEED: &str = include_str!("seed.sql");

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("ledger {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("cannot create the ledger's folder {path}: {source}")]
    Folder { path: PathBuf, source: std::io::Error },
    #[error("ledger: {0}")]
    Sql(#[from] rusqlite::Error),
}

/// A SQLite ledger shared by the reference actions. Every change runs in
/// one transaction behind one lock, so concurrent payments with the same
/// idempotency key cannot both pass the duplicate check.
pub struct Ledger {
    conn: Mutex<Connection>,
}

impl Ledger {
    /// Opens (or creates and seeds) the ledger at `path`.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| LedgerError::Folder { path: dir.to_owned(), source })?;
        }
        let conn = Connection::open(path).map_err(|source| LedgerError::Open { path: path.to_owned(), source })?;
        // Several processes (hush run, hush ledger) may share the file.
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Self::init(conn)
    }

    /// A seeded ledger that lives in memory (tests, `--dry-run`).
    pub fn in_memory() -> Result<Ledger, LedgerError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Ledger, LedgerError> {
        migrate(&conn)?;
        conn.execute_batch(SCHEMA)?;
        let seeded: i64 = conn.query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))?;
        if seeded == 0 {
            conn.execute_batch(SEED)?;
        }
        Ok(Ledger { conn: Mutex::new(conn) })
    }

    /// Where the ledger lives unless told: `$HUSH_LEDGER`, else
    /// `$XDG_DATA_HOME/hush/ledger.sqlite`, else `~/.local/share/hush/`.
    pub fn default_path() -> PathBuf {
        if let Some(p) = std::env::var_os("HUSH_LEDGER") {
            return PathBuf::from(p);
        }
        let data = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
            .unwrap_or_else(|| PathBuf::from("."));
        data.join("hush").join("ledger.sqlite")
    }

    /// Empties every table and seeds it again.
    pub fn reset(&self) -> Result<(), LedgerError> {
        self.write(|tx| {
            tx.execute_batch("DELETE FROM payments; DELETE FROM rides; DELETE FROM food_orders; DELETE FROM bills; DELETE FROM accounts;")?;
            tx.execute_batch(SEED)?;
            Ok(())
        })
    }

    /// Runs `f` in one immediate transaction, committed if it returns Ok.
    pub fn write<T, E: From<LedgerError>>(&self, f: impl FnOnce(&Transaction) -> Result<T, E>) -> Result<T, E> {
        // A panic elsewhere while holding the lock leaves SQLite consistent
        // (the transaction rolls back), so a poisoned lock is still usable.
        let mut conn = self.conn.lock();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(LedgerError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(LedgerError::from)?;
        Ok(out)
    }

    /// Runs a read-only query.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, LedgerError> {
        let conn = self.conn.lock();
        Ok(f(&conn)?)
    }

    pub fn accounts(&self) -> Result<Vec<Account>, LedgerError> {
        self.all(&format!("{ACCOUNT_COLUMNS} ORDER BY name"), account_row)
    }

    pub fn account(&self, name: &str) -> Result<Option<Account>, LedgerError> {
        self.read(|c| account(c, name))
    }

    pub fn bills(&self) -> Result<Vec<Bill>, LedgerError> {
        self.all(&format!("{BILL_COLUMNS} ORDER BY biller"), bill_row)
    }

    pub fn bill(&self, biller: &str) -> Result<Option<Bill>, LedgerError> {
        self.read(|c| bill(c, biller))
    }

    pub fn payments(&self) -> Result<Vec<Payment>, LedgerError> {
        self.all("SELECT id, key, kind, payee, amount_minor, currency, account, at_ms, scheduled FROM payments ORDER BY id", |r| {
            Ok(Payment {
                id: r.get(0)?,
                key: r.get(1)?,
                kind: r.get(2)?,
                payee: r.get(3)?,
                amount_minor: r.get(4)?,
                currency: r.get(5)?,
                account: r.get(6)?,
                at_ms: r.get(7)?,
                scheduled: r.get(8)?,
            })
        })
    }

    pub fn rides(&self) -> Result<Vec<Ride>, LedgerError> {
        self.all(&format!("{RIDE_COLUMNS} ORDER BY id"), ride_row)
    }

    pub fn food_orders(&self) -> Result<Vec<FoodOrder>, LedgerError> {
        self.all(&format!("{ORDER_COLUMNS} ORDER BY id"), order_row)
    }

    /// Every row a query returns.
    fn all<T>(&self, sql: &str, row: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>) -> Result<Vec<T>, LedgerError> {
        self.read(|c| c.prepare(sql)?.query_map([], row)?.collect())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Account {
    pub name: String,
    pub balance_minor: i64,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bill {
    pub biller: String,
    pub due_minor: i64,
    pub currency: String,
    pub due_date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Payment {
    pub id: i64,
    pub key: String,
    /// `bill`, `transfer` or `canteen`.
    pub kind: String,
    pub payee: String,
    pub amount_minor: i64,
    pub currency: String,
    pub account: String,
    pub at_ms: i64,
    /// The day asked for, as said, when it was not paid out at once.
    pub scheduled: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ride {
    pub id: i64,
    pub key: String,
    pub destination: String,
    pub pickup: Option<String>,
    pub ride_type: String,
    pub driver: String,
    pub car: String,
    pub pickup_eta_s: i64,
    pub trip_s: i64,
    pub fare_cents: i64,
    pub requested_ms: i64,
    /// A later pickup, as said; None for a ride now.
    pub scheduled: Option<String>,
    pub cancelled_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoodOrder {
    pub id: i64,
    pub key: String,
    pub dish: String,
    pub quantity: i64,
    pub restaurant: String,
    pub total_cents: i64,
    pub eta_s: i64,
    pub ordered_ms: i64,
    pub cancelled_ms: Option<i64>,
}

pub(crate) const RIDE_COLUMNS: &str =
    "SELECT id, key, destination, pickup, ride_type, driver, car, pickup_eta_s, trip_s, fare_cents, requested_ms, scheduled, cancelled_ms FROM rides";
pub(crate) const ORDER_COLUMNS: &str = "SELECT id, key, dish, quantity, restaurant, total_cents, eta_s, ordered_ms, cancelled_ms FROM food_orders";

pub(crate) fn ride_row(r: &rusqlite::Row) -> rusqlite::Result<Ride> {
    Ok(Ride {
        id: r.get(0)?,
        key: r.get(1)?,
        destination: r.get(2)?,
        pickup: r.get(3)?,
        ride_type: r.get(4)?,
        driver: r.get(5)?,
        car: r.get(6)?,
        pickup_eta_s: r.get(7)?,
        trip_s: r.get(8)?,
        fare_cents: r.get(9)?,
        requested_ms: r.get(10)?,
        scheduled: r.get(11)?,
        cancelled_ms: r.get(12)?,
    })
}

pub(crate) fn order_row(r: &rusqlite::Row) -> rusqlite::Result<FoodOrder> {
    Ok(FoodOrder {
        id: r.get(0)?,
        key: r.get(1)?,
        dish: r.get(2)?,
        quantity: r.get(3)?,
        restaurant: r.get(4)?,
        total_cents: r.get(5)?,
        eta_s: r.get(6)?,
        ordered_ms: r.get(7)?,
        cancelled_ms: r.get(8)?,
    })
}

/// Ledgers written before amounts were kept in each currency's minor units
/// named the columns `*_cents`; the values (USD cents) are the same
/// numbers, so renaming keeps every balance and payment. Payments made
/// before a day could be asked for have no `scheduled` column: they were
/// all paid at once.
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let has = |table: &str, column: &str| -> rusqlite::Result<bool> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM pragma_table_info('{table}') WHERE name = '{column}'"), [], |r| r.get::<_, i64>(0))? > 0)
    };
    for (table, old, new) in [("accounts", "balance_cents", "balance_minor"), ("bills", "due_cents", "due_minor"), ("payments", "amount_cents", "amount_minor")]
    {
        if has(table, old)? {
            conn.execute_batch(&format!("ALTER TABLE {table} RENAME COLUMN {old} TO {new}"))?;
        }
    }
    let payments: i64 = conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'payments'", [], |r| r.get(0))?;
    if payments > 0 && !has("payments", "scheduled")? {
        conn.execute_batch("ALTER TABLE payments ADD COLUMN scheduled TEXT")?;
    }
    Ok(())
}

const ACCOUNT_COLUMNS: &str = "SELECT name, balance_minor, currency FROM accounts";
const BILL_COLUMNS: &str = "SELECT biller, due_minor, currency, due_date FROM bills";

fn account_row(r: &rusqlite::Row) -> rusqlite::Result<Account> {
    Ok(Account { name: r.get(0)?, balance_minor: r.get(1)?, currency: r.get(2)? })
}

fn bill_row(r: &rusqlite::Row) -> rusqlite::Result<Bill> {
    Ok(Bill { biller: r.get(0)?, due_minor: r.get(1)?, currency: r.get(2)?, due_date: r.get(3)? })
}

pub(crate) fn account(c: &Connection, name: &str) -> rusqlite::Result<Option<Account>> {
    c.query_row(&format!("{ACCOUNT_COLUMNS} WHERE name = ?1"), params![name], account_row).optional()
}

pub(crate) fn bill(c: &Connection, biller: &str) -> rusqlite::Result<Option<Bill>> {
    c.query_row(&format!("{BILL_COLUMNS} WHERE biller = ?1"), params![biller], bill_row).optional()
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// The account a payment of `currency` comes from when none was said:
/// main, unless main is in another currency and an account is in this one
/// (a rupiah amount from the rupiah account).
pub(crate) fn account_for(c: &Connection, currency: Option<&str>) -> rusqlite::Result<String> {
    let Some(currency) = currency else { return Ok("main".to_owned()) };
    let found =
        c.query_row("SELECT name FROM accounts WHERE currency = ?1 ORDER BY name <> 'main', name LIMIT 1", params![currency], |r| r.get(0)).optional()?;
    Ok(found.unwrap_or_else(|| "main".to_owned()))
}
