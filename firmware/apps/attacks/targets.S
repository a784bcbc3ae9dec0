/*
 * targets.S: the attack set's targets and attacking instructions, in assembly so that each attacking instruction
 * has a symbol (attack_*_at) the tests compare the stopping pc with.
 */
#include "attacks.h"

    .text
    .balign 4

/*
 * uint32_t unlock(uint32_t password): opens the vault (vault_open()) and returns 1 when password is right, else 0.
 * unlock_granted is the instruction after the check: reaching it without the check is what three attacks do.
 */
    .globl unlock
    .type unlock, @function
unlock:
    li      t0, ATTACK_PASSWORD
    bne     a0, t0, 1f
    .globl unlock_granted
unlock_granted:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    call    vault_open
    lw      ra, 12(sp)
    addi    sp, sp, 16
    li      a0, 1
    ret
1:  li      a0, 0
    ret
    .size unlock, . - unlock

/* int victim(void): returns ATTACK_VICTIM_RESULT; its first word is what the code-overwrite attack replaces. */
    .globl victim
    .type victim, @function
victim:
    li      a0, ATTACK_VICTIM_RESULT
    ret
    .size victim, . - victim

/* void store_word(uint32_t *address, uint32_t value): one store, attack_store_at (code overwrite, heap overflow, use after free). */
    .globl store_word
    .type store_word, @function
store_word:
    .globl attack_store_at
attack_store_at:
    sw      a1, 0(a0)
    ret
    .size store_word, . - store_word

/* uint32_t load_word(const uint32_t *address): one load, attack_load_at (a tainted pointer). */
    .globl load_word
    .type load_word, @function
load_word:
    .globl attack_load_at
attack_load_at:
    lw      a0, 0(a0)
    ret
    .size load_word, . - load_word

/* void call_address(uint32_t target, uint32_t argument): an indirect call, attack_call_at (a tainted jump target). */
    .globl call_address
    .type call_address, @function
call_address:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    mv      t1, a0
    mv      a0, a1
    .globl attack_call_at
attack_call_at:
    jalr    ra, 0(t1)
    lw      ra, 12(sp)
    addi    sp, sp, 16
    ret
    .size call_address, . - call_address

/*
 * void copy_to_stack(const uint32_t *words, uint32_t count): copies count words into a 3-word buffer on its stack
 * frame, right below its saved return address: a fourth word overwrites it, and the return (attack_ret_at) goes there.
 */
    .globl copy_to_stack
    .type copy_to_stack, @function
copy_to_stack:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    mv      t0, sp
1:  beqz    a1, 2f
    lw      t1, 0(a0)
    sw      t1, 0(t0)
    addi    a0, a0, 4
    addi    t0, t0, 4
    addi    a1, a1, -1
    j       1b
2:  lw      ra, 12(sp)
    addi    sp, sp, 16
    .globl attack_ret_at
attack_ret_at:
    ret
    .size copy_to_stack, . - copy_to_stack

/*
 * int save_context(struct context *context): setjmp-like: saves ra, sp and s0..s11 in the context (after its 3-word
 * buffer) and returns 0. void restore_context(struct context *context, int value): longjmp-like: restores them and
 * returns value from that save_context, through the saved return address (attack_longjmp_at); a buffer overflow
 * over the context sends it elsewhere.
 */
    .globl save_context
    .type save_context, @function
save_context:
    sw      ra, 12(a0)
    sw      sp, 16(a0)
    sw      s0, 20(a0)
    sw      s1, 24(a0)
    sw      s2, 28(a0)
    sw      s3, 32(a0)
    sw      s4, 36(a0)
    sw      s5, 40(a0)
    sw      s6, 44(a0)
    sw      s7, 48(a0)
    sw      s8, 52(a0)
    sw      s9, 56(a0)
    sw      s10, 60(a0)
    sw      s11, 64(a0)
    li      a0, 0
    ret
    .size save_context, . - save_context

    .globl restore_context
    .type restore_context, @function
restore_context:
    lw      ra, 12(a0)
    lw      sp, 16(a0)
    lw      s0, 20(a0)
    lw      s1, 24(a0)
    lw      s2, 28(a0)
    lw      s3, 32(a0)
    lw      s4, 36(a0)
    lw      s5, 40(a0)
    lw      s6, 44(a0)
    lw      s7, 48(a0)
    lw      s8, 52(a0)
    lw      s9, 56(a0)
    lw      s10, 60(a0)
    lw      s11, 64(a0)
    mv      a0, a1
    .globl attack_longjmp_at
attack_longjmp_at:
    ret
    .size restore_context, . - restore_context

/*
 * uint32_t jump_through(const uint32_t *table, uint32_t index): a switch's dispatch: jumps (attack_jump_at, a jr
 * that does not link) through table[index] to one of its cases (jump_case0: returns JUMP_CASE0, jump_case1:
 * JUMP_CASE1), all inside this function; an overwritten entry sends it elsewhere.
 */
    .globl jump_through
    .type jump_through, @function
jump_through:
    slli    a1, a1, 2
    add     a0, a0, a1
    lw      t1, 0(a0)
    .globl attack_jump_at
attack_jump_at:
    jr      t1
    .globl jump_case0
jump_case0:
    li      a0, ATTACK_JUMP_CASE0
    ret
    .globl jump_case1
jump_case1:
    li      a0, ATTACK_JUMP_CASE1
    ret
    .size jump_through, . - jump_through
