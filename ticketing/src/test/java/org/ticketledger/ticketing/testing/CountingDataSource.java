package org.ticketledger.ticketing.testing;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that counts the statements and transactions sent through it, for the ITs that pin
 * how many round trips a hot path takes (a path bound by its round trips should gain one only by
 * decision). A transaction is a commit, or a statement run in auto-commit. The SQL of each
 * statement is kept too, so a failing count says which statements there were.
 */
public final class CountingDataSource implements DataSource {

    private final DataSource inner;
    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicInteger transactions = new AtomicInteger();
    private final List<String> sql = Collections.synchronizedList(new ArrayList<>());

    public CountingDataSource(DataSource inner) {
        this.inner = inner;
    }

    public int statements() {
        return statements.get();
    }

    public int transactions() {
        return transactions.get();
    }

    /** The SQL of the statements counted since the last {@link #reset}, in order. */
    public List<String> sql() {
        synchronized (sql) {
            return List.copyOf(sql);
        }
    }

    public void reset() {
        statements.set(0);
        transactions.set(0);
        sql.clear();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(inner.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return wrap(inner.getConnection(user, password));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return inner.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        inner.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        inner.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return inner.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return inner.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return inner.isWrapperFor(iface);
    }

    private Connection wrap(Connection c) {
        return proxy(Connection.class, c, (m, args, result) -> {
            if (m.equals("commit")) {
                transactions.incrementAndGet();
            }
            if (result instanceof Statement s && !(result instanceof Connection)) {
                Class<?> type = m.equals("prepareCall") ? CallableStatement.class
                        : m.equals("prepareStatement") ? PreparedStatement.class : Statement.class;
                String prepared = args != null && args.length > 0 && args[0] instanceof String q ? q : null;
                return proxy(type, s, (sm, sargs, r) -> {
                    if (sm.startsWith("execute")) {
                        statements.incrementAndGet();
                        sql.add(prepared != null ? prepared : sargs != null && sargs.length > 0 ? String.valueOf(sargs[0]) : "?");
                        if (autoCommit(c)) {
                            transactions.incrementAndGet();
                        }
                    }
                    return r;
                });
            }
            return result;
        });
    }

    private static boolean autoCommit(Connection c) {
        try {
            return c.getAutoCommit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface After {
        Object on(String method, Object[] args, Object result);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<?> type, Object target, After after) {
        InvocationHandler h = (p, m, args) -> {
            try {
                return after.on(m.getName(), args, m.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] {type}, h);
    }
}
