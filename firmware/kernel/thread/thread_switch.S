/*
 * thread_switch.S: void thread_switch(struct thread_context *save, const struct thread_context *load)
 * saves the callee-saved registers, ra and sp in save and continues with those of load.
 * A new thread's context (thread_context_init) starts in thread_start with s0 = its thread.
 */
    .text
    .balign 4
    .globl thread_switch
    .type thread_switch, @function
thread_switch:
    sw      ra, 0(a0)
    sw      sp, 4(a0)
    sw      s0, 8(a0)
    sw      s1, 12(a0)
    sw      s2, 16(a0)
    sw      s3, 20(a0)
    sw      s4, 24(a0)
    sw      s5, 28(a0)
    sw      s6, 32(a0)
    sw      s7, 36(a0)
    sw      s8, 40(a0)
    sw      s9, 44(a0)
    sw      s10, 48(a0)
    sw      s11, 52(a0)
    lw      ra, 0(a1)
    lw      sp, 4(a1)
    lw      s0, 8(a1)
    lw      s1, 12(a1)
    lw      s2, 16(a1)
    lw      s3, 20(a1)
    lw      s4, 24(a1)
    lw      s5, 28(a1)
    lw      s6, 32(a1)
    lw      s7, 36(a1)
    lw      s8, 40(a1)
    lw      s9, 44(a1)
    lw      s10, 48(a1)
    lw      s11, 52(a1)
    ret
    .size thread_switch, . - thread_switch

/*
 * void thread_context_init(struct thread_context *context) sets context->ra to thread_start's address as a call
 * writes it (jal's link), so a new thread's first switch is a return to where a call left, as every later one
 * is: a policy that allows returns only through call-written addresses (ret) accepts it. The first switch to
 * the thread returns to thread_start with s0 = its thread, which calls thread_run(thread).
 */
    .globl thread_context_init
    .type thread_context_init, @function
thread_context_init:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    jal     ra, 1f
thread_start:
    mv      a0, s0
    call    thread_run
2:  j       2b
1:  sw      ra, 0(a0)
    lw      ra, 12(sp)
    addi    sp, sp, 16
    ret
    .size thread_context_init, . - thread_context_init
