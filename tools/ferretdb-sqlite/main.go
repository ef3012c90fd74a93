// Command ferretdb-sqlite runs FerretDB v1 (MongoDB wire protocol on SQLite) for tests and local runs.
//
// It embeds FerretDB's public `ferretdb` package instead of building cmd/ferretdb, because a module
// install of cmd/ferretdb@v1.24.2 lacks the generated build/version/version.txt and panics at start.
// The embedded server never starts FerretDB's telemetry reporter.
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("sqlite-dir", "data", "directory for the SQLite database files")
	level := flag.String("log-level", "warn", "debug, info, warn or error")
	// WAL with synchronous=NORMAL survives a crash of any process (tests kill -9 services and the
	// database itself); only an OS crash may lose the last commits. FULL would fsync every write and
	// make the test and dev database several times slower.
	synchronous := flag.String("synchronous", "NORMAL", "SQLite synchronous pragma: NORMAL or FULL")
	flag.Parse()

	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		log.Fatalf("bad -log-level: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lv}))

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
	logger.Info("ferretdb listening", "uri", f.MongoDBURI())
	if err := f.Run(ctx); err != nil {
		log.Fatal(err)
	}
}
