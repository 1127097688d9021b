-- The foreign keys from orders to parties and products are off the order path, as the ledger's are
-- (ledger V2). Each placed order ran two RI checks, each a SELECT ... FOR KEY SHARE of the parent
-- row: every order of a product locked that product's one row, so concurrent orders turned its
-- lock into a MultiXact and wrote a WAL record for the row lock (perf of the backends during
-- issue-http: RI_FKey_check 4 % of their CPU for the four checks of an order, heap_lock_tuple and
-- the MultiXact functions ~1.5 % more). What they guarded holds without them: the placing
-- statement (OrdersImpl.PLACE) inserts only if the distributor and the published product exist,
-- in the same statement, and neither parties nor products are ever deleted or re-keyed.
ALTER TABLE orders DROP CONSTRAINT orders_distributor_id_fkey;
ALTER TABLE orders DROP CONSTRAINT orders_product_id_fkey;
