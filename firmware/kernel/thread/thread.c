/* thread.c: cooperative threads (see thread.h). */
#include <stdio.h>
#include <stdlib.h>
#include "hwgen_soc.h"
#include "kernel.h"
#include "thread.h"
#include "timer.h"

enum thread_state
{
    THREAD_UNUSED,
    THREAD_READY,
    THREAD_SLEEPING,
    THREAD_JOINING,
    THREAD_DONE,
};

/* The registers thread_switch saves: ra, sp, s0-s11. */
struct thread_context
{
    uint32_t ra;
    uint32_t sp;
    uint32_t s[12];
};

struct thread
{
    struct thread_context context;
    enum thread_state state;
    int id;
    uint32_t *stack;        /* lowest word of the stack: the guard words */
    void *(*entry)(void *);
    void *arg;
    void *result;
    uint64_t wake_at;       /* while sleeping */
    struct thread *joining; /* while joining: the thread waited for */
};

void thread_switch(struct thread_context *save, const struct thread_context *load);
void thread_context_init(struct thread_context *context);
void thread_run(struct thread *thread) __attribute__((noreturn));

static struct thread threads[THREAD_MAX];
static struct thread *current;

static void write_guard(uint32_t *stack)
{
    for (int i = 0; i < THREAD_GUARD_WORDS; i++)
        stack[i] = THREAD_GUARD_VALUE;
}

static void check_guard(const struct thread *thread)
{
    for (int i = 0; i < THREAD_GUARD_WORDS; i++)
    {
        if (thread->stack[i] != THREAD_GUARD_VALUE)
        {
            printf("\n*** thread %d: stack overflow: guard word at %p is 0x%08lx\n",
                   thread->id, (void *)&thread->stack[i], (unsigned long)thread->stack[i]);
            _exit(KERNEL_EXIT_STACK_OVERFLOW);
        }
    }
}

/* Makes main thread 0 on first use; its guard words lie at the bottom of its stack, just above the heap. */
static void init_main_thread(void)
{
    if (current != NULL)
        return;
    current = &threads[0];
    current->state = THREAD_READY;
    current->id = 0;
    current->stack = (uint32_t *)(((uintptr_t)__heap_end + 3u) & ~(uintptr_t)3u);
    write_guard(current->stack);
}

thread_t *thread_self(void)
{
    init_main_thread();
    return current;
}

int thread_id(const thread_t *thread)
{
    return thread->id;
}

int thread_current_id(void)
{
    return current != NULL ? current->id : 0;
}

thread_t *thread_create(void *(*entry)(void *), void *arg, size_t stack_bytes)
{
    init_main_thread();
    struct thread *thread = NULL;
    for (int i = 1; i < THREAD_MAX; i++)
    {
        if (threads[i].state == THREAD_UNUSED)
        {
            thread = &threads[i];
            thread->id = i;
            break;
        }
    }
    if (thread == NULL)
        return NULL;
    if (stack_bytes < THREAD_MIN_STACK)
        stack_bytes = THREAD_MIN_STACK;
    stack_bytes = (stack_bytes + 15u) & ~(size_t)15u;
    uint32_t *stack = malloc(stack_bytes);
    if (stack == NULL)
        return NULL;
    write_guard(stack);
    thread->stack = stack;
    thread->entry = entry;
    thread->arg = arg;
    thread->result = NULL;
    thread->joining = NULL;
    thread->context = (struct thread_context){ 0 };
    thread_context_init(&thread->context);
    thread->context.sp = (uint32_t)(((uintptr_t)stack + stack_bytes) & ~(uintptr_t)15u);
    thread->context.s[0] = (uint32_t)(uintptr_t)thread;
    thread->state = THREAD_READY;
    return thread;
}

static int runnable(struct thread *thread, uint64_t now)
{
    switch (thread->state)
    {
    case THREAD_READY:
        return 1;
    case THREAD_SLEEPING:
        if (now < thread->wake_at)
            return 0;
        thread->state = THREAD_READY;
        return 1;
    case THREAD_JOINING:
        if (thread->joining->state != THREAD_DONE)
            return 0;
        thread->state = THREAD_READY;
        return 1;
    default:
        return 0;
    }
}

/* Switches to the next runnable thread after the current one (the current one last), waiting for a sleeper when none is. */
static void schedule(void)
{
    struct thread *from = current;
    check_guard(from);
    for (;;)
    {
        int sleepers = 0;
        uint64_t now = timer_now();
        int start = (int)(from - threads);
        for (int step = 1; step <= THREAD_MAX; step++)
        {
            struct thread *next = &threads[(start + step) % THREAD_MAX];
            if (!runnable(next, now))
            {
                sleepers += next->state == THREAD_SLEEPING;
                continue;
            }
            if (next != from)
            {
                current = next;
                thread_switch(&from->context, &next->context);
            }
            return;
        }
        if (sleepers == 0)
        {
            printf("\n*** thread %d: deadlock: every thread waits for another\n", from->id);
            _exit(KERNEL_EXIT_DEADLOCK);
        }
        __asm__ volatile("wfi");
    }
}

void thread_yield(void)
{
    init_main_thread();
    schedule();
}

void thread_sleep(uint64_t ticks)
{
    init_main_thread();
    current->wake_at = timer_now() + ticks;
    current->state = THREAD_SLEEPING;
    schedule();
}

void *thread_join(thread_t *thread)
{
    init_main_thread();
    if (thread == current || thread->state == THREAD_UNUSED)
        return NULL;
    if (thread->state != THREAD_DONE)
    {
        current->joining = thread;
        current->state = THREAD_JOINING;
        schedule();
    }
    check_guard(thread);
    void *result = thread->result;
    free(thread->stack);
    thread->stack = NULL;
    thread->state = THREAD_UNUSED;
    return result;
}

void thread_exit(void *value)
{
    init_main_thread();
    if (current == &threads[0])
        exit(0);
    current->result = value;
    current->state = THREAD_DONE;
    schedule();
    /* A thread that is done is never runnable again. */
    for (;;)
        ;
}

void thread_run(struct thread *thread)
{
    thread_exit(thread->entry(thread->arg));
}
