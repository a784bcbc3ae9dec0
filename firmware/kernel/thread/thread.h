/*
 * thread.h: cooperative threads with a round-robin scheduler.
 *
 * main runs as thread 0 on the stack the start library gave it. thread_create allocates a stack from
 * the heap; its lowest THREAD_GUARD_WORDS words hold THREAD_GUARD_VALUE (so do the lowest words of
 * main's stack, just above the heap). A thread runs until it yields, sleeps, joins, waits for console
 * input or ends; then the next runnable thread after it, in creation order, runs. Whenever a thread
 * stops running, its guard words are checked: a thread that overwrote them ends the program with
 * KERNEL_EXIT_STACK_OVERFLOW. When every thread waits and none sleeps, the program ends with
 * KERNEL_EXIT_DEADLOCK. Interrupt handlers run on the stack of the thread they interrupt.
 */
#ifndef THREAD_H
#define THREAD_H

#include <stddef.h>
#include <stdint.h>

#define THREAD_MAX          8           /* threads at once, main included */
#define THREAD_GUARD_WORDS  4
#define THREAD_GUARD_VALUE  0x57ac6a4du
#define THREAD_MIN_STACK    512u        /* bytes, guard words included */

typedef struct thread thread_t;

/*
 * Starts entry(arg) in a new thread with a stack of stack_bytes (at least THREAD_MIN_STACK); it runs
 * when the current thread next gives way. Returns NULL when THREAD_MAX threads exist or the heap has no room.
 */
thread_t *thread_create(void *(*entry)(void *), void *arg, size_t stack_bytes);

/* Lets the next runnable thread run; returns at once when there is none. */
void thread_yield(void);

/* Gives way until at least ticks timer ticks (see timer.h) have passed. */
void thread_sleep(uint64_t ticks);

/* Waits until thread has ended, frees its stack and returns what its entry returned (or passed to thread_exit). */
void *thread_join(thread_t *thread);

/* Ends the calling thread with value (main's thread: ends the program, as exit(0) does). */
void thread_exit(void *value) __attribute__((noreturn));

/* The calling thread. */
thread_t *thread_self(void);

/* The thread's number: 0 for main, then 1, 2, … in creation order (numbers of joined threads are reused). */
int thread_id(const thread_t *thread);

/* The calling thread's number, without making main a thread first (for the trap handler's report). */
int thread_current_id(void);

#endif /* THREAD_H */
