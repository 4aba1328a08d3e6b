// Command loadclient drives a varlink server with org.example.bench.Ping calls through the varlink Go library's
// client, so every server in the benchmark is measured with the same client.
//
// Modes:
//
//	calls     each of -conns goroutines opens one connection and calls Ping sequentially on it
//	connects  each of -conns goroutines loops: connect, one Ping, close
//
// After -warmup the calls made during -duration are counted and timed; one JSON line is printed:
// {"mode":..,"conns":..,"ops":..,"seconds":..,"rate":..,"p50_us":..,"p99_us":..,"errors":..,"first_error":..}
// or, with -tsv, "rate<TAB>p50_us<TAB>p99_us<TAB>errors<TAB>ops".
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/varlink/go/varlink"
)

type pingParameters struct {
	Text string `json:"text"`
}

type worker struct {
	latencies []int64 // nanoseconds, measured phase only
	errors    int64
	firstErr  string
}

const (
	phaseWarmup int32 = iota
	phaseMeasure
	phaseDone
)

func main() {
	address := flag.String("address", "", "server address, e.g. unix:/tmp/bench.sock")
	mode := flag.String("mode", "calls", "calls or connects")
	conns := flag.Int("conns", 1, "parallel connections (calls) or connecting goroutines (connects)")
	warmup := flag.Duration("warmup", 5*time.Second, "warm-up before measuring")
	duration := flag.Duration("duration", 10*time.Second, "measured duration")
	text := flag.String("text", "hello, peergate", "Ping text")
	tsv := flag.Bool("tsv", false, "print rate, p50_us, p99_us, errors, ops tab-separated instead of JSON")
	flag.Parse()
	if *address == "" || (*mode != "calls" && *mode != "connects") {
		fmt.Fprintln(os.Stderr, "loadclient: -address and -mode calls|connects are required")
		os.Exit(2)
	}
	var phase int32
	workers := make([]*worker, *conns)
	var ready, finished sync.WaitGroup
	for i := range workers {
		w := &worker{latencies: make([]int64, 0, 1<<16)}
		workers[i] = w
		ready.Add(1)
		finished.Add(1)
		go func() {
			defer finished.Done()
			if *mode == "calls" {
				runCalls(w, *address, *text, &phase, &ready)
			} else {
				ready.Done()
				runConnects(w, *address, *text, &phase)
			}
		}()
	}
	ready.Wait()
	time.Sleep(*warmup)
	atomic.StoreInt32(&phase, phaseMeasure)
	start := time.Now()
	time.Sleep(*duration)
	atomic.StoreInt32(&phase, phaseDone)
	elapsed := time.Since(start).Seconds()
	finished.Wait()

	var all []int64
	var errors int64
	firstErr := ""
	for _, w := range workers {
		all = append(all, w.latencies...)
		errors += w.errors
		if firstErr == "" {
			firstErr = w.firstErr
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	result := map[string]interface{}{
		"mode":        *mode,
		"conns":       *conns,
		"ops":         len(all),
		"seconds":     elapsed,
		"rate":        float64(len(all)) / elapsed,
		"p50_us":      percentile(all, 0.50),
		"p99_us":      percentile(all, 0.99),
		"errors":      errors,
		"first_error": firstErr,
	}
	if *tsv {
		fmt.Printf("%.1f\t%.1f\t%.1f\t%d\t%d\n", float64(len(all))/elapsed, percentile(all, 0.50),
			percentile(all, 0.99), errors, len(all))
		if firstErr != "" {
			fmt.Fprintln(os.Stderr, "loadclient: first error:", firstErr)
		}
		return
	}
	out, _ := json.Marshal(result)
	fmt.Println(string(out))
}

func percentile(sorted []int64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	index := int(q*float64(len(sorted))+0.5) - 1
	if index < 0 {
		index = 0
	}
	if index >= len(sorted) {
		index = len(sorted) - 1
	}
	return float64(sorted[index]) / 1000.0
}

func (w *worker) fail(err error) {
	w.errors++
	if w.firstErr == "" {
		w.firstErr = err.Error()
	}
}

func runCalls(w *worker, address string, text string, phase *int32, ready *sync.WaitGroup) {
	ctx := context.Background()
	conn, err := varlink.NewConnection(ctx, address)
	ready.Done()
	if err != nil {
		w.fail(err)
		return
	}
	defer conn.Close()
	in := pingParameters{Text: text}
	for {
		p := atomic.LoadInt32(phase)
		if p == phaseDone {
			return
		}
		var out pingParameters
		begin := time.Now()
		err := conn.Call(ctx, "org.example.bench.Ping", &in, &out)
		took := time.Since(begin).Nanoseconds()
		if err == nil && out.Text != text {
			err = fmt.Errorf("wrong reply text %q", out.Text)
		}
		if err != nil {
			w.fail(err)
			return // a broken connection is not retried: the error count shows it
		}
		if p == phaseMeasure {
			w.latencies = append(w.latencies, took)
		}
	}
}

func runConnects(w *worker, address string, text string, phase *int32) {
	ctx := context.Background()
	in := pingParameters{Text: text}
	for {
		p := atomic.LoadInt32(phase)
		if p == phaseDone {
			return
		}
		begin := time.Now()
		conn, err := varlink.NewConnection(ctx, address)
		if err == nil {
			var out pingParameters
			err = conn.Call(ctx, "org.example.bench.Ping", &in, &out)
			conn.Close()
		}
		took := time.Since(begin).Nanoseconds()
		if err != nil {
			if p == phaseMeasure {
				w.fail(err)
			}
			continue
		}
		if p == phaseMeasure {
			w.latencies = append(w.latencies, took)
		}
	}
}
