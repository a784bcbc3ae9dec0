/*
 * hello.c: the unikernel's greeting. Two threads take turns printing, each sleeping between its
 * lines, while the timer interrupt ticks; main joins both and reports.
 */
#include <stdio.h>
#include <string.h>
#include "thread.h"
#include "timer.h"

/* Timer ticks (core clock cycles) between the lines of a thread, and of the periodic tick. The tick leaves the
   interrupt handler room: under a policy whose rules miss the rule cache, one interrupt may take thousands of cycles. */
#define HELLO_PAUSE 200000u
#define HELLO_TICK  50000u
#define HELLO_LINES 3

static void *greeter(void *name)
{
    for (int line = 1; line <= HELLO_LINES; line++)
    {
        printf("%s: line %d of %d (thread %d)\n", (const char *)name, line, HELLO_LINES, thread_id(thread_self()));
        thread_sleep(HELLO_PAUSE);
    }
    return (void *)(uintptr_t)strlen(name);
}

int main(void)
{
    printf("Hello from the HwGen unikernel!\n");
    timer_tick_start(HELLO_TICK, NULL);
    thread_t *ping = thread_create(greeter, "ping", 1024);
    thread_t *pong = thread_create(greeter, "pong!", 1024);
    if (ping == NULL || pong == NULL)
    {
        printf("cannot create the threads\n");
        return 1;
    }
    uintptr_t ping_result = (uintptr_t)thread_join(ping);
    uintptr_t pong_result = (uintptr_t)thread_join(pong);
    uint32_t ticks = timer_ticks();
    timer_tick_stop();
    printf("joined: ping returned %u, pong returned %u\n", (unsigned)ping_result, (unsigned)pong_result);
    /* Both threads slept HELLO_LINES pauses, so at least that many ticks have passed. */
    printf("timer: %s\n", ticks >= HELLO_LINES * (HELLO_PAUSE / HELLO_TICK) ? "ticking" : "NOT ticking");
    return 0;
}
