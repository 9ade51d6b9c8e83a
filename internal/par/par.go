// Package par runs the iterations of a loop on several goroutines: the
// one helper retort's CPU-bound loops over thousands of files share.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls fn(i) for every i in [0, n), on up to GOMAXPROCS goroutines
// and one more for each perWorker iterations (so a short loop runs on
// the calling goroutine's pace, without goroutines it does not need),
// and returns when every call has. Calls run in no set order, each
// index once; fn must be safe to run concurrently for different i.
func For(n, perWorker int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n/max(perWorker, 1)+1)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}
