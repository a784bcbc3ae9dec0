/*
 * timer.h: the machine timer (the CLINT's mtime and mtimecmp).
 *
 * Time is counted in timer ticks: mtime advances once per core clock cycle.
 */
#ifndef TIMER_H
#define TIMER_H

#include <stdint.h>

/* The current time, mtime. */
uint64_t timer_now(void);

/* Waits until ticks have passed (other threads run meanwhile when the thread library is linked). */
void timer_sleep(uint64_t ticks);

/*
 * Starts a periodic tick: the timer interrupt fires every period ticks (period > 0) and calls
 * on_tick (may be NULL) with the number of ticks so far, counting from 1, from the interrupt handler.
 * A later call replaces the period and the callback and starts counting again.
 */
void timer_tick_start(uint32_t period, void (*on_tick)(uint32_t count));

/* Stops the periodic tick. */
void timer_tick_stop(void);

/* The ticks counted since timer_tick_start. */
uint32_t timer_ticks(void);

/* The interrupt handler the trap library calls. */
void timer_interrupt(void);

#endif /* TIMER_H */
