/*
 * kernel_check.c: checks of the library OS. The first byte received on the UART chooses the scenario;
 * each prints what it observed, and the tests compare that with what the kernel promises.
 *
 *   h  heap: first fit, splitting, coalescing with the blocks before and after, calloc, realloc
 *   d  heap: a double free ends the program with KERNEL_EXIT_HEAP
 *   y  threads: round-robin order of yields, join results, thread ids reused after a join
 *   s  threads: sleepers wake in the order of their deadlines; timer_sleep waits at least its ticks
 *   o  threads: a stack overflow ends the program with KERNEL_EXIT_STACK_OVERFLOW
 *   x  threads: every thread waiting for another ends the program with KERNEL_EXIT_DEADLOCK
 *   e  exit: exit(code) from a thread ends the program with that code
 *   i  trap: an illegal instruction (at the symbol check_illegal) is reported and ends the program
 *   I  trap: the same in a thread, whose number the report names
 *   l  trap: a load from an unmapped address is reported and ends the program
 *   r  console: lines read with console_readline are printed back in brackets until "quit"
 *   t  thread-local storage: the C library's errno (in .tbss, through tp) starts at 0 and keeps what strtol sets
 *   v  policy: a thread writes to code (at check_write_code); under nxd-nwc the violation ends that thread only,
 *      and main, joining it, gets NULL and goes on
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "console.h"
#include "heap.h"
#include "hwgen_soc.h"
#include "thread.h"
#include "timer.h"

static void check(int ok, const char *what)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
}

static void heap_scenario(void)
{
    struct heap_stats before, stats;
    heap_stats(&before);
    check(before.free_blocks == 1 && before.free_bytes == before.total_bytes && before.used_blocks == 0, "heap starts as one free block");

    char *a = malloc(24), *b = malloc(40), *c = malloc(24), *d = malloc(8);
    check(a != NULL && b == a + 24 && c == b + 40 && d == c + 24, "blocks follow each other (no header between, 8-byte sizes)");
    check(((uintptr_t)a & 7u) == 0, "payloads are 8-byte aligned");
    memset(a, 0xa5, 24);
    memset(b, 0xb6, 40);
    memset(c, 0xc7, 24);

    uintptr_t b_at = (uintptr_t)b;
    free(b);
    char *small = malloc(16);
    check((uintptr_t)small == b_at, "first fit takes the freed block again");
    char *rest = malloc(8);
    check((uintptr_t)rest == b_at + 16, "the rest of a split block is the next fit");
    free(small);
    free(rest);

    heap_stats(&stats);
    check(stats.free_blocks == 2, "the freed neighbours merge into one free block");

    free(a);
    heap_stats(&stats);
    check(stats.free_blocks == 2 && stats.used_blocks == 2, "a block freed before a free one merges with it");
    free(d);
    heap_stats(&stats);
    check(stats.free_blocks == 2, "a block freed after a free one merges with it");
    free(c);
    heap_stats(&stats);
    check(stats.free_blocks == 1 && stats.free_bytes == before.free_bytes && stats.used_blocks == 0,
          "a block between two free ones merges with both");

    uint32_t *zeroed = calloc(8, sizeof(uint32_t));
    int all_zero = zeroed != NULL;
    for (int i = 0; all_zero && i < 8; i++)
        all_zero = zeroed[i] == 0;
    check(all_zero, "calloc zeroes");
    zeroed[0] = 0x12345678u;
    uint32_t *grown = realloc(zeroed, 4096);
    check(grown != NULL && grown[0] == 0x12345678u, "realloc keeps the contents");
    free(grown);
    check(malloc(HWGEN_RAM_SIZE) == NULL, "malloc of more than the heap returns NULL");
    heap_stats(&stats);
    check(stats.free_blocks == 1 && stats.free_bytes == before.free_bytes, "the heap ends as it began");
}

static void double_free_scenario(void)
{
    void *block = malloc(32);
    void *volatile same = block;
    free(block);
    printf("freeing again\n");
    free(same);
    printf("still running\n");
}

static void *yielder(void *name)
{
    for (int i = 1; i <= 3; i++)
    {
        printf("%s%d ", (const char *)name, i);
        thread_yield();
    }
    return (void *)(uintptr_t)(((const char *)name)[0]);
}

static void yield_scenario(void)
{
    thread_t *a = thread_create(yielder, "a", 1024);
    thread_t *b = thread_create(yielder, "b", 1024);
    thread_t *c = thread_create(yielder, "c", 1024);
    printf("ids %d %d %d\n", thread_id(a), thread_id(b), thread_id(c));
    uintptr_t ra = (uintptr_t)thread_join(a), rb = (uintptr_t)thread_join(b), rc = (uintptr_t)thread_join(c);
    printf("\nresults %c %c %c\n", (int)ra, (int)rb, (int)rc);
    thread_t *again = thread_create(yielder, "d", 1024);
    printf("\nreused id %d\n", thread_id(again));
    thread_join(again);
    printf("\n");
}

static void *sleeper(void *ticks)
{
    thread_sleep((uintptr_t)ticks);
    printf("woke after %u\n", (unsigned)(uintptr_t)ticks);
    return NULL;
}

static void sleep_scenario(void)
{
    thread_t *slow = thread_create(sleeper, (void *)30000u, 1024);
    thread_t *fast = thread_create(sleeper, (void *)10000u, 1024);
    thread_t *middle = thread_create(sleeper, (void *)20000u, 1024);
    thread_join(slow);
    thread_join(fast);
    thread_join(middle);
    uint64_t start = timer_now();
    timer_sleep(5000);
    uint64_t waited = timer_now() - start;
    check(waited >= 5000, "timer_sleep waits at least its ticks");
}

static __attribute__((noinline)) uint32_t deep(uint32_t depth)
{
    volatile uint32_t frame[16];
    for (int i = 0; i < 16; i++)
        frame[i] = depth + (uint32_t)i;
    return depth == 0 ? frame[3] : deep(depth - 1) + frame[depth & 15];
}

static void *overflower(void *arg)
{
    (void)arg;
    printf("result %lu\n", (unsigned long)deep(12));
    return NULL;
}

static void overflow_scenario(void)
{
    /* Below the thread's stack: a block the overflow lands in, not the program's data. */
    void *volatile cushion = malloc(2048);
    thread_t *thread = thread_create(overflower, NULL, THREAD_MIN_STACK);
    thread_join(thread);
    printf("joined\n");
    free(cushion);
}

static thread_t *main_thread;

static void *join_main(void *arg)
{
    (void)arg;
    thread_join(main_thread);
    return NULL;
}

static void deadlock_scenario(void)
{
    main_thread = thread_self();
    thread_t *thread = thread_create(join_main, NULL, 1024);
    thread_join(thread);
    printf("joined\n");
}

static void *exiter(void *arg)
{
    (void)arg;
    printf("exiting with 42\n");
    exit(42);
}

static void exit_scenario(void)
{
    thread_join(thread_create(exiter, NULL, 1024));
    printf("still running\n");
}

/* Not inlined: the label check_illegal must stand once. */
static __attribute__((noinline)) void illegal_scenario(void)
{
    printf("executing an illegal instruction\n");
    __asm__ volatile(".globl check_illegal\ncheck_illegal: .word 0");
}

static void *illegal_thread(void *arg)
{
    (void)arg;
    illegal_scenario();
    return NULL;
}

static void illegal_in_thread_scenario(void)
{
    thread_join(thread_create(illegal_thread, NULL, 1024));
}

int main(void);

/* Not inlined: the label check_write_code must stand once. */
static __attribute__((noinline)) void write_code(uint32_t *word)
{
    __asm__ volatile(".globl check_write_code\ncheck_write_code: sw %0, 0(%1)" : : "r"(*word), "r"(word) : "memory");
}

static void *code_writer(void *arg)
{
    (void)arg;
    write_code((uint32_t *)(uintptr_t)main);
    printf("the code was written\n");
    return (void *)1;
}

static void violation_in_thread_scenario(void)
{
    void *result = thread_join(thread_create(code_writer, NULL, 1024));
    printf("joined: %s\n", result == NULL ? "NULL" : "a result");
}

static void load_fault_scenario(void)
{
    printf("loading from an unmapped address\n");
    printf("read 0x%08lx\n", (unsigned long)HWGEN_MMIO32(HWGEN_UNMAPPED_ADDRESS));
}

static void readline_scenario(void)
{
    char line[8];
    for (;;)
    {
        size_t length = console_readline(line, sizeof line);
        if (strcmp(line, "quit") == 0)
            break;
        printf("[%s] %u\n", line, (unsigned)length);
    }
}

static void tls_scenario(void)
{
    extern char __tls_base[], __bss_start[], __bss_end[];
    uintptr_t tp;
    __asm__ volatile("mv %0, tp" : "=r"(tp));
    check(tp == (uintptr_t)__tls_base, "tp points at the thread-local block");
    check(errno == 0, "errno starts at 0");
    long value = strtol("99999999999", NULL, 10);
    check(value == LONG_MAX && errno == ERANGE, "strtol sets errno to ERANGE");
    /* errno is thread-local without an initial value: in .tbss, which is zeroed with .bss. */
    check((uintptr_t)&errno >= (uintptr_t)__bss_start && (uintptr_t)&errno < (uintptr_t)__bss_end, "errno lies in .tbss");
}

int main(void)
{
    int scenario = console_getc();
    switch (scenario)
    {
    case 'h': heap_scenario(); break;
    case 'd': double_free_scenario(); break;
    case 'y': yield_scenario(); break;
    case 's': sleep_scenario(); break;
    case 'o': overflow_scenario(); break;
    case 'x': deadlock_scenario(); break;
    case 'e': exit_scenario(); break;
    case 'i': illegal_scenario(); break;
    case 'I': illegal_in_thread_scenario(); break;
    case 'l': load_fault_scenario(); break;
    case 'r': readline_scenario(); break;
    case 't': tls_scenario(); break;
    case 'v': violation_in_thread_scenario(); break;
    default:
        printf("unknown scenario '%c'\n", scenario);
        return 1;
    }
    return 0;
}
