// Command ferretdb-sqlite runs FerretDB v1 (MongoDB wire protocol on SQLite) for tests and local runs.
//
// It embeds FerretDB's public `ferretdb` package instead of building cmd/ferretdb, because a module
// install of cmd/ferretdb@v1.24.2 lacks the generated build/version/version.txt and panics at start.
// The embedded server never starts FerretDB's telemetry reporter.
package main

import (
	"context"
	"database/sql"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite" // FerretDB's own SQLite driver, registered as "sqlite"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("sqlite-dir", "data", "directory for the SQLite database files")
	level := flag.String("log-level", "warn", "debug, info, warn or error")
	// WAL with synchronous=NORMAL survives a crash of any process (tests kill -9 services and the
	// database itself); only an OS crash may lose the last commits. FULL would fsync every write and
	// make the test and dev database several times slower.
	synchronous := flag.String("synchronous", "NORMAL", "SQLite synchronous pragma: NORMAL or FULL")
	checkpointEvery := flag.Duration("checkpoint-interval", 5*time.Second, "how often to look at the WAL files and truncate those over 1 GB (0: never)")
	flag.Parse()
	// FerretDB allocates heavily per command (each document read is decoded from JSON), and with Go's
	// default GOGC=100 its collector and scavenger took 18 % of its CPU under write-backs (pprof). With
	// 400 the e2e bench measured FerretDB at 27 CPU-ms per write-back instead of 39, and 2.5 CPU-s per
	// 1 000 burst orders instead of 3.7; the heap may grow to five times what is live, a test and dev
	// database can afford that. A GOGC set in the environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}

	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		log.Fatalf("bad -log-level: %v", err)
	}
	logger := slog.New(lazyAttrs{next: slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lv})})

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + *dir + "/?_pragma=synchronous(" + *synchronous + ")",
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *checkpointEvery > 0 {
		go checkpointLoop(ctx, *dir, *checkpointEvery, logger)
	}
	logger.Info("ferretdb listening", "uri", f.MongoDBURI())
	if err := f.Run(ctx); err != nil {
		log.Fatal(err)
	}
}

// checkpointLoop keeps the write-ahead logs small. SQLite's own automatic checkpoint copies pages
// back into the database but rewinds the WAL only at a moment when no reader uses it; FerretDB's
// connection pool reads all the time under load, so the WAL grew without end (7 GB next to a 450 MB
// database after 100 000 imported orders) and every read got slower, since a page is looked up
// through all of the WAL's index. A TRUNCATE checkpoint from a connection of our own waits for the
// readers of the moment and then empties the WAL. Writers wait meanwhile (2.4 s measured under a
// full-speed import; with a short busy timeout it never got through and only stalled the writers), so
// it runs only once a WAL is past 1 GB: never in ordinary tests or a demo (an idle moment lets SQLite
// rewind the WAL itself), every few minutes under a benchmark's sustained load.
func checkpointLoop(ctx context.Context, dir string, every time.Duration, logger *slog.Logger) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		if err != nil {
			continue
		}
		for _, file := range files {
			if info, err := os.Stat(file + "-wal"); err != nil || info.Size() < 1<<30 {
				continue // no WAL, or a small one: not worth a pause of the writers
			}
			checkpoint(file, logger)
		}
	}
}

func checkpoint(file string, logger *slog.Logger) {
	// mode=rw: never create a database FerretDB has just dropped.
	db, err := sql.Open("sqlite", "file:"+file+"?mode=rw&_pragma=busy_timeout(10000)")
	if err != nil {
		return
	}
	defer db.Close()
	var busy, logFrames, checkpointed int
	if err := db.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &checkpointed); err != nil {
		logger.Debug("wal checkpoint failed", "file", file, "err", err)
		return
	}
	logger.Debug("wal checkpoint", "file", file, "busy", busy, "frames", logFrames, "checkpointed", checkpointed)
}

// lazyAttrs puts off the formatting of `logger.With(…)` attributes until a record is actually logged.
// FerretDB's SQL layer calls `With(slog.Any("args", args))` around every statement it runs, then logs
// at debug level; TextHandler formats (quotes) the arguments, whole JSON documents, at `With`, before
// the level check drops the record. That was 12 % of FerretDB's CPU under the e2e bench's steady load
// and 7 % of its write-backs (pprof), for log lines nobody sees.
type lazyAttrs struct {
	next slog.Handler
	with []func(slog.Handler) slog.Handler
}

func (h lazyAttrs) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

func (h lazyAttrs) Handle(ctx context.Context, r slog.Record) error {
	handler := h.next
	for _, apply := range h.with {
		handler = apply(handler)
	}
	return handler.Handle(ctx, r)
}

func (h lazyAttrs) WithAttrs(attrs []slog.Attr) slog.Handler {
	return h.then(func(next slog.Handler) slog.Handler { return next.WithAttrs(attrs) })
}

func (h lazyAttrs) WithGroup(name string) slog.Handler {
	return h.then(func(next slog.Handler) slog.Handler { return next.WithGroup(name) })
}

func (h lazyAttrs) then(apply func(slog.Handler) slog.Handler) slog.Handler {
	with := make([]func(slog.Handler) slog.Handler, len(h.with), len(h.with)+1)
	copy(with, h.with)
	return lazyAttrs{next: h.next, with: append(with, apply)}
}
