package corpus

import (
	"context"
	"database/sql/driver"
	"errors"
	"reflect"
	"strings"

	"modernc.org/sqlite"
)

// The SQLite driver compiles every statement it is given as a string anew, and an
// ingest or annotate run gives it the same dozen statements for every document:
// compiling them cost as much as running them. These connections keep the compiled
// statements, per connection, keyed by their text, so every caller's
// ExecContext/QueryContext of a repeated statement reuses one. database/sql gives a
// connection to one goroutine at a time, so a cache needs no lock.

// stmtCacheSize bounds the statements one connection keeps: the hot ones are a few
// dozen; statements built with values in their text (a version number) would
// otherwise pile up.
const stmtCacheSize = 128

// newStmtCacheConnector opens dsn with the registered sqlite driver, through
// connections that cache their statements. observe, when not nil, is given the text
// of every statement before it runs (it must be safe for concurrent use).
func newStmtCacheConnector(dsn string, observe func(query string)) (driver.Connector, error) {
	base, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return stmtCacheConnector{Connector: base, observe: observe}, nil
}

type stmtCacheConnector struct {
	driver.Connector
	observe func(query string)
}

// sqliteConn is what every connection of the sqlite driver implements; the wrapper
// forwards it all, since database/sql falls back to weaker paths for any part it
// cannot see (see sqlite.NewConnector).
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

func (c stmtCacheConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(sqliteConn)
	if !ok {
		_ = conn.Close() // the error returned next is the one that matters
		return nil, errors.New("sqlite connection lacks the driver interfaces the statement cache forwards: " + reflect.TypeOf(conn).String())
	}
	return &cachingConn{sqliteConn: sc, stmts: map[string]*cachedStmt{}, observe: c.observe}, nil
}

type cachingConn struct {
	sqliteConn
	stmts   map[string]*cachedStmt
	observe func(query string)
}

type cachedStmt struct {
	st driver.Stmt
	// busy is set while rows of the statement are open: a nested use of the same text
	// (a lookup made while iterating) gets a statement of its own.
	busy bool
}

// Unwrap returns the driver's connection (sqlite.Limit and the like look for it).
func (c *cachingConn) Unwrap() driver.Conn { return c.sqliteConn }

// cacheable leaves out scripts: the driver runs a text holding several statements one
// by one and cannot keep it compiled.
func cacheable(query string) bool { return !strings.Contains(query, ";") }

// stmt returns the cached statement for query, compiling it on first use; nil when
// query is not cached (a script, or a statement whose cached copy is in use).
func (c *cachingConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if c.observe != nil {
		c.observe(query)
	}
	if !cacheable(query) {
		return nil, nil
	}
	if cs, ok := c.stmts[query]; ok {
		if cs.busy {
			return nil, nil
		}
		return cs, nil
	}
	if len(c.stmts) >= stmtCacheSize {
		c.evict()
	}
	st, err := c.sqliteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	cs := &cachedStmt{st: st}
	c.stmts[query] = cs
	return cs, nil
}

// evict drops one idle statement (whichever the map yields first).
func (c *cachingConn) evict() {
	for q, cs := range c.stmts {
		if !cs.busy {
			// Finalizing a prepared statement frees memory; it has no effect on data.
			_ = cs.st.Close()
			delete(c.stmts, q)
			return
		}
	}
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if c.observe != nil {
		c.observe(query)
	}
	return c.sqliteConn.PrepareContext(ctx, query)
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.sqliteConn.ExecContext(ctx, query, args)
	}
	return cs.st.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	rows, err := cs.st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &cachedRows{Rows: rows, cs: cs}, nil
}

func (c *cachingConn) Close() error {
	for q, cs := range c.stmts {
		_ = cs.st.Close() // finalizing frees memory; the connection's Close reports what matters
		delete(c.stmts, q)
	}
	return c.sqliteConn.Close()
}

// cachedRows frees its statement for reuse when closed (the driver resets it then).
type cachedRows struct {
	driver.Rows
	cs *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.cs.busy = false
	return err
}

// The column-type interfaces of the driver's rows, forwarded for Rows.ColumnTypes.

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *cachedRows) ColumnTypeNullable(i int) (bool, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *cachedRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}
