// Command goserver is the reference varlink server for the Peergate benchmarks: the varlink Go library
// serving org.example.bench.Ping(text) -> (text), the same interface the Peergate benchmark server serves.
//
// Usage: goserver -address unix:/path/to/socket
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/varlink/go/varlink"
)

type pingParameters struct {
	Text string `json:"text"`
}

// bench dispatches the interface by hand, exactly as code from varlink-go-interface-generator does.
type bench struct{}

func (bench) VarlinkDispatch(ctx context.Context, call varlink.Call, method string) error {
	switch method {
	case "Ping":
		var in pingParameters
		if err := call.GetParameters(&in); err != nil {
			return call.ReplyInvalidParameter(ctx, "parameters")
		}
		return call.Reply(ctx, &pingParameters{Text: in.Text})
	}
	return call.ReplyMethodNotFound(ctx, method)
}

func (bench) VarlinkGetName() string {
	return "org.example.bench"
}

func (bench) VarlinkGetDescription() string {
	return "interface org.example.bench\n\nmethod Ping(text: string) -> (text: string)\n"
}

func main() {
	address := flag.String("address", "", "listen address, e.g. unix:/tmp/bench.sock")
	flag.Parse()
	if *address == "" {
		fmt.Fprintln(os.Stderr, "goserver: -address is required")
		os.Exit(2)
	}
	service, err := varlink.NewService("Peergate", "benchmark reference", "1", "https://varlink.org")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := service.RegisterInterface(bench{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := service.Bind(context.Background(), *address); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		service.Shutdown()
	}()
	fmt.Println("READY")
	if err := service.DoListen(context.Background(), 0); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
