-- A fresh ledger: five accounts (one in rupiah, one in yuan) and the bills on file. Billers not listed
-- here (tv, insurance, school fees) are "unknown" to the reference actions.
INSERT INTO accounts (name, balance_minor, currency) VALUES
    ('main', 125000, 'USD'),
    ('savings', 540000, 'USD'),
    ('wallet', 8550, 'USD'),
    ('rupiah', 250000000, 'IDR'),
    ('yuan', 500000, 'CNY');
INSERT INTO bills (biller, due_minor, currency, due_date) VALUES
    ('electricity', 4200, 'USD', '2026-12-05'),
    ('water', 1875, 'USD', '2026-12-08'),
    ('internet', 3500, 'USD', '2026-12-10'),
    ('phone', 2500, 'USD', '2026-12-12'),
    ('gas', 1240, 'USD', '2026-12-15'),
    ('credit card', 31020, 'USD', '2026-12-20'),
    ('rent', 150000, 'USD', '2026-12-01');
