/* io_pool.h: a loop run on a few plain threads, for work that waits on the disk rather than the CPU.
 *
 * Unlinking a file can wait on the disk after its folder's lock is released
 * (freeing its blocks: a discard with ext4's discard option), so more calls
 * in flight than there are cores hide that wait: on this project's 2-core
 * machine, removing a run's 13,000 calendar files took 21 to 31 s from one
 * thread, 6 to 10 s from two and 1 to 3 s from 16
 * (bench/results/write-L-before-after.txt).  These are POSIX threads, not
 * OpenMP's team: their count is not the CPU count the engine uses, and a
 * thread the system refuses to start is simply not used (the others do its
 * share), where OpenMP would end the process.
 *
 * Thread safety: body runs on several threads at once; each call gets its
 * worker number (0 .. workers-1) for per-worker scratch space.
 */
#ifndef MM_IO_POOL_H
#define MM_IO_POOL_H

#include <pthread.h>
#include <stddef.h>

/* Worker threads for calls that wait on the disk (removal): at least
 * IO_POOL_WORKERS, or the CPU threads asked for (threads) when more, at
 * most 64. */
#define IO_POOL_WORKERS 16
int io_pool_workers(int threads);

/* Threads that create files (render, openat, write, close): at least 8, or
 * threads when more.  Creating waits on the disk too, but inside the
 * folder's lock (ext4 picks the inode there), so fewer help: on the 2-core
 * machine 8 beat 2 and 16 in three rounds out of three
 * (bench/results/write-syscalls-and-io-threads.txt). */
#define IO_POOL_CREATORS 8

/* Calls body(ctx, worker, k) once for every k in [0, n), from up to
 * workers threads (the caller's among them), handing out chunks of chunk
 * items in order as threads free up; returns when all calls returned. */
void io_pool_run(size_t n, int workers, size_t chunk, void (*body)(void *ctx, int worker, size_t k), void *ctx);

/* Starts a thread that never runs the output folder's signal handler
 * (SIGINT, SIGTERM and SIGHUP stay blocked in it, so they are handled on
 * the threads that keep its creation windows); pthread_create's result. */
int io_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
