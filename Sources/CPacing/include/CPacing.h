#ifndef SPRO_CPACING_H
#define SPRO_CPACING_H

/// Paces the calling thread (Linux): after each `burst_ns` of its CPU time, if a request started within the last
/// `window_ns`, it sleeps `rest_ns`. A CPU-time timer signals the thread itself; the handler only reads the clock,
/// an atomic, and sleeps. Returns 0, or -1 with errno set.
int spro_pacing_start(long burst_ns, long rest_ns, long window_ns);

/// Marks that a request has just started (a relaxed atomic store of the monotonic clock).
void spro_pacing_note_request(void);

/// How many times a paced thread has rested since the process started.
long spro_pacing_pauses(void);

/// Turns the rests on (the default) or off for every paced thread of the process.
void spro_pacing_set_enabled(int on);

/// Whether a paced thread rests at `now_ns` when the last request started at `last_request_ns` (0: none yet) and
/// pacing is `on`.
int spro_pacing_should_rest(int on, long now_ns, long last_request_ns, long window_ns);

#endif
