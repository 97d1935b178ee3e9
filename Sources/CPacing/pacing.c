#define _GNU_SOURCE
#include "CPacing.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

static _Atomic long last_request_ns;
static _Atomic long pauses;
static _Atomic long rest_length_ns;
static _Atomic long window_length_ns;
static _Atomic int enabled = 1;

static long monotonic_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

void spro_pacing_note_request(void) {
    atomic_store_explicit(&last_request_ns, monotonic_ns(), memory_order_relaxed);
}

long spro_pacing_pauses(void) {
    return atomic_load_explicit(&pauses, memory_order_relaxed);
}

void spro_pacing_set_enabled(int on) {
    atomic_store_explicit(&enabled, on != 0, memory_order_relaxed);
}

int spro_pacing_should_rest(int on, long now_ns, long last_request_ns, long window_ns) {
    return on && last_request_ns != 0 && now_ns - last_request_ns < window_ns;
}

// Runs on the paced thread after each burst of its CPU time. Async-signal-safe: clock_gettime, atomics, nanosleep.
static void rest_after_burst(int signal) {
    (void)signal;
    int saved = errno;
    long window = atomic_load_explicit(&window_length_ns, memory_order_relaxed);
    if (spro_pacing_should_rest(atomic_load_explicit(&enabled, memory_order_relaxed), monotonic_ns(),
                                atomic_load_explicit(&last_request_ns, memory_order_relaxed), window)) {
        struct timespec rest = { 0, atomic_load_explicit(&rest_length_ns, memory_order_relaxed) };
        nanosleep(&rest, NULL);
        atomic_fetch_add_explicit(&pauses, 1, memory_order_relaxed);
    }
    errno = saved;
}

int spro_pacing_start(long burst_ns, long rest_ns, long window_ns) {
    if (burst_ns <= 0 || burst_ns >= 1000000000L || rest_ns <= 0 || rest_ns >= 1000000000L) {
        errno = EINVAL;
        return -1;
    }
    atomic_store(&rest_length_ns, rest_ns);
    atomic_store(&window_length_ns, window_ns);
    // A real-time signal the C library, Swift and SwiftNIO leave alone; SA_RESTART resumes an interrupted read or write.
    int signal = SIGRTMIN + 4;
    struct sigaction action = { 0 };
    action.sa_handler = rest_after_burst;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(signal, &action, NULL) != 0) return -1;
    // Threads made by the cooperative pool (and those they make) block most signals: this one takes its own.
    sigset_t own;
    sigemptyset(&own);
    sigaddset(&own, signal);
    if (pthread_sigmask(SIG_UNBLOCK, &own, NULL) != 0) return -1;
    // Counts this thread's CPU time only: a thread waiting for work is never signalled.
    struct sigevent event = { 0 };
    event.sigev_notify = SIGEV_THREAD_ID;
    event.sigev_signo = signal;
    event.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
    timer_t timer;
    if (timer_create(CLOCK_THREAD_CPUTIME_ID, &event, &timer) != 0) return -1;
    struct itimerspec every = { { 0, burst_ns }, { 0, burst_ns } };
    return timer_settime(timer, 0, &every, NULL);
}
