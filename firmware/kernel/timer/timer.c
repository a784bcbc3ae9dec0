/* timer.c: the machine timer (see timer.h). */
#include "hwgen_soc.h"
#include "kernel.h"
#include "timer.h"

void thread_yield(void) __attribute__((weak));

static volatile uint32_t tick_count;
static uint32_t tick_period;
static uint64_t next_deadline;
static void (*tick_callback)(uint32_t count);

uint64_t timer_now(void)
{
    uint32_t high, low;
    do
    {
        high = HWGEN_MMIO32(HWGEN_CLINT_MTIMEH);
        low = HWGEN_MMIO32(HWGEN_CLINT_MTIME);
    } while (HWGEN_MMIO32(HWGEN_CLINT_MTIMEH) != high);
    return ((uint64_t)high << 32) | low;
}

/* Sets mtimecmp without passing through a value below both the old and the new one. */
static void set_compare(uint64_t value)
{
    HWGEN_MMIO32(HWGEN_CLINT_MTIMECMP) = 0xffffffffu;
    HWGEN_MMIO32(HWGEN_CLINT_MTIMECMPH) = (uint32_t)(value >> 32);
    HWGEN_MMIO32(HWGEN_CLINT_MTIMECMP) = (uint32_t)value;
}

void timer_sleep(uint64_t ticks)
{
    uint64_t until = timer_now() + ticks;
    while (timer_now() < until)
    {
        if (thread_yield)
            thread_yield();
    }
}

void timer_tick_start(uint32_t period, void (*on_tick)(uint32_t count))
{
    if (period == 0)
        return;
    KERNEL_CSR_CLEAR(mie, KERNEL_MIE_MTIE);
    tick_period = period;
    tick_callback = on_tick;
    tick_count = 0;
    next_deadline = timer_now() + period;
    set_compare(next_deadline);
    KERNEL_CSR_SET(mie, KERNEL_MIE_MTIE);
    KERNEL_CSR_SET(mstatus, KERNEL_MSTATUS_MIE);
}

void timer_tick_stop(void)
{
    KERNEL_CSR_CLEAR(mie, KERNEL_MIE_MTIE);
    set_compare(UINT64_MAX);
}

uint32_t timer_ticks(void)
{
    return tick_count;
}

void timer_interrupt(void)
{
    /* The next deadline follows the last one, not the time now, so ticks do not drift; ticks missed
       while interrupts were off are counted when they are taken. */
    if (tick_period == 0)
    {
        /* No tick was started: nothing to count, and no deadline to keep. */
        set_compare(UINT64_MAX);
        return;
    }
    uint64_t now = timer_now();
    uint32_t count = tick_count;
    do
    {
        next_deadline += tick_period;
        count++;
    } while (next_deadline <= now);
    tick_count = count;
    set_compare(next_deadline);
    if (tick_callback != NULL)
        tick_callback(count);
}
