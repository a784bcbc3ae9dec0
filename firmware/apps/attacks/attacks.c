/*
 * attacks.c: the attack set. The first line on the UART names one attack, which the program then makes:
 *
 *   code-injection     writes instructions into a data buffer and calls it             (nxd-nwc: execute non-code)
 *   code-overwrite     overwrites the first instruction of victim() and calls it      (nxd-nwc: write to code)
 *   taint-pointer ADDR loads the word at ADDR (hex, from the UART): the vault's secret (taint: tainted address)
 *   taint-jump ADDR    calls ADDR (hex, from the UART): past unlock()'s password check (taint: tainted jump target)
 *   heap-overflow      writes past the end of one block into the next                  (heap: colour mismatch)
 *   use-after-free     writes through a pointer to a freed block, now another's        (heap: colour mismatch)
 *   return-overwrite   overflows a stack buffer over the saved return address          (ret: non-return address)
 *   jmpbuf-overwrite   overflows a buffer over a saved context's return address, then
 *                      restores the context (longjmp-like) and returns                 (ret: non-return address)
 *   call-mid-function  calls unlock() past its password check                          (cfi: call to a non-entry)
 *   jump-table-overwrite overflows a buffer over a jump table's entry, then jumps
 *                      through it into unlock() past its password check                (cfi: jump out of its function)
 *   benign             the legitimate neighbour of each: every line ends in "ok"
 *
 * An attack that gets through prints "*** attack succeeded: NAME" and exits with ATTACK_SUCCEEDED_EXIT; one
 * that a policy stops ends in the trap handler's report of the violation. The attacking instructions have
 * symbols (attack_*_at in targets.S, and injected_code) so the stopping pc can be checked.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "attacks.h"
#include "console.h"
#include "kernel.h"

uint32_t unlock(uint32_t password);
int victim(void);
void store_word(uint32_t *address, uint32_t value);
uint32_t load_word(const uint32_t *address);
void call_address(uint32_t target, uint32_t argument);
void copy_to_stack(const uint32_t *words, uint32_t count);
uint32_t jump_through(const uint32_t *table, uint32_t index);
extern char unlock_granted[], jump_case0[], jump_case1[];

/* A saved context (setjmp-like) right after a buffer: save_context() and restore_context() in targets.S. */
struct context
{
    uint32_t buffer[3];
    uint32_t ra, sp, s[12];
};
int save_context(struct context *context) __attribute__((returns_twice));
void restore_context(struct context *context, int value) __attribute__((noreturn));

/* A jump table (a switch's, as jump_through() uses it) right after a buffer. */
struct dispatch
{
    uint32_t buffer[2];
    uint32_t table[2];
};

/* The secret the taint-pointer attack reads, and the buffer code-injection executes. */
volatile uint32_t vault_secret = 0x5ec12e75u;
uint32_t injected_code[2];

static struct context context;
static struct dispatch dispatch;

static const char *running_attack;
static int vault_opens;

static void attack_succeeded(void) __attribute__((noreturn));
static void attack_succeeded(void)
{
    printf("*** attack succeeded: %s\n", running_attack);
    _exit(ATTACK_SUCCEEDED_EXIT);
}

/* Called by unlock() past its check: during an attack, reaching it is the attack's success. */
void vault_open(void)
{
    if (running_attack != NULL)
        attack_succeeded();
    vault_opens++;
}

static void check(int ok, const char *what)
{
    printf("benign %s: %s\n", what, ok ? "ok" : "FAILED");
}

/* The number in hex at text, by comparisons only (a table indexed by an input byte would be a tainted address). */
static uint32_t parse_hex(const char *text)
{
    uint32_t value = 0;
    for (; *text != '\0'; text++)
    {
        char c = *text;
        if (c >= '0' && c <= '9')
            value = value * 16u + (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            value = value * 16u + (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            value = value * 16u + (uint32_t)(c - 'A' + 10);
        else
            break;
    }
    return value;
}

/* addi a0, zero, ATTACK_INJECTED; jalr zero, 0(ra) */
#define INSN_LI_A0_INJECTED (0x00000513u | ((uint32_t)ATTACK_INJECTED << 20))
#define INSN_RET            0x00008067u

static void code_injection(const char *argument)
{
    (void)argument;
    injected_code[0] = INSN_LI_A0_INJECTED;
    injected_code[1] = INSN_RET;
    int (*injected)(void) = (int (*)(void))(uintptr_t)injected_code;
    if (injected() == ATTACK_INJECTED)
        attack_succeeded();
}

static void code_overwrite(const char *argument)
{
    (void)argument;
    store_word((uint32_t *)(uintptr_t)victim, INSN_LI_A0_INJECTED);
    if (victim() == ATTACK_INJECTED)
        attack_succeeded();
}

static void taint_pointer(const char *argument)
{
    uint32_t address = parse_hex(argument);
    if (load_word((const uint32_t *)(uintptr_t)address) == vault_secret)
        attack_succeeded();
}

static void taint_jump(const char *argument)
{
    call_address(parse_hex(argument), 0);
}

/* The heap attacks read and write their blocks through volatile pointers: the compiler takes two blocks malloc
   returned for disjoint, and would drop the checks (or the second block) otherwise. */
static void heap_overflow(const char *argument)
{
    (void)argument;
    uint32_t *volatile first = malloc(16);
    uint32_t *volatile second = malloc(16);
    for (int i = 0; i < 4; i++)
        first[i] = 0;
    second[0] = 1;
    store_word(first + 4, 0x0bad0bad); /* one word past the end of first: second's first word */
    if (second[0] == 0x0bad0bad)
        attack_succeeded();
}

static void use_after_free(const char *argument)
{
    (void)argument;
    uint32_t *volatile freed = malloc(16);
    free(freed);
    uint32_t *volatile reused = malloc(16); /* first fit: the freed block again */
    reused[0] = 1;
    store_word(freed, 0x0bad0bad);
    if (reused[0] == 0x0bad0bad)
        attack_succeeded();
}

static void return_overwrite(const char *argument)
{
    (void)argument;
    const uint32_t words[4] = { 1, 2, 3, (uint32_t)(uintptr_t)unlock_granted };
    copy_to_stack(words, 4);
}

/* Copies count words into buffer, whatever its size (noipa: the compiler sees neither the size nor the count). */
static __attribute__((noipa)) void copy_words(uint32_t *buffer, const uint32_t *words, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++)
        buffer[i] = words[i];
}

static void jmpbuf_overwrite(const char *argument)
{
    (void)argument;
    if (save_context(&context) != 0)
        return;
    const uint32_t words[4] = { 1, 2, 3, (uint32_t)(uintptr_t)unlock_granted };
    copy_words(context.buffer, words, 4);
    restore_context(&context, 1);
}

static void jump_table_overwrite(const char *argument)
{
    (void)argument;
    dispatch.table[0] = (uint32_t)(uintptr_t)jump_case0;
    dispatch.table[1] = (uint32_t)(uintptr_t)jump_case1;
    const uint32_t words[3] = { 1, 2, (uint32_t)(uintptr_t)unlock_granted };
    copy_words(dispatch.buffer, words, 3);
    jump_through(dispatch.table, 0);
}

static void call_mid_function(const char *argument)
{
    (void)argument;
    call_address((uint32_t)(uintptr_t)unlock_granted, 0);
}

/* The legitimate neighbour of every attack, under every policy: no violation. */
static void benign(const char *argument)
{
    (void)argument;
    int (*function)(void) = victim;
    check(function() == ATTACK_VICTIM_RESULT, "indirect call to a function entry");
    store_word(&injected_code[0], INSN_RET);
    check(injected_code[0] == INSN_RET, "write to data");
    check(load_word((const uint32_t *)&vault_secret) == vault_secret, "load through an untainted pointer");
    call_address((uint32_t)(uintptr_t)unlock, ATTACK_PASSWORD);
    check(vault_opens == 1, "indirect call to unlock with its password");
    check(unlock(0) == 0 && vault_opens == 1, "a wrong password is refused");
    uint32_t *volatile first = malloc(16);
    uint32_t *volatile second = malloc(16);
    store_word(first + 3, 7);
    store_word(second, 8);
    check(first[3] == 7 && second[0] == 8, "writes inside their blocks");
    free(first);
    uint32_t *volatile again = malloc(16);
    store_word(again, 9);
    check(again[0] == 9 && second[0] == 8, "a block freed and handed out again, written through its new pointer");
    free(again);
    free(second);
    const uint32_t words[3] = { 1, 2, 3 };
    copy_to_stack(words, 3);
    check(1, "a stack buffer filled to its end, and the return");
    volatile int restored = 0;
    if (save_context(&context) == 0)
    {
        copy_words(context.buffer, words, 3);
        restore_context(&context, 1);
    }
    else
        restored = 1;
    check(restored == 1 && context.buffer[2] == 3, "a context buffer filled to its end, and the context restored");
    dispatch.table[0] = (uint32_t)(uintptr_t)jump_case0;
    dispatch.table[1] = (uint32_t)(uintptr_t)jump_case1;
    copy_words(dispatch.buffer, words, 2);
    check(jump_through(dispatch.table, 0) == ATTACK_JUMP_CASE0 && jump_through(dispatch.table, 1) == ATTACK_JUMP_CASE1,
        "a jump table's buffer filled to its end, and the table used as written");
}

static const struct
{
    const char *name;
    void (*run)(const char *argument);
} attacks[] = {
    { "code-injection", code_injection },
    { "code-overwrite", code_overwrite },
    { "taint-pointer", taint_pointer },
    { "taint-jump", taint_jump },
    { "heap-overflow", heap_overflow },
    { "use-after-free", use_after_free },
    { "return-overwrite", return_overwrite },
    { "jmpbuf-overwrite", jmpbuf_overwrite },
    { "call-mid-function", call_mid_function },
    { "jump-table-overwrite", jump_table_overwrite },
    { "benign", benign },
};

int main(void)
{
    static char line[64];
    console_readline(line, sizeof line);
    char *argument = strchr(line, ' ');
    if (argument != NULL)
        *argument++ = '\0';
    else
        argument = line + strlen(line);
    for (size_t i = 0; i < sizeof attacks / sizeof attacks[0]; i++)
    {
        if (strcmp(line, attacks[i].name) != 0)
            continue;
        printf("%s\n", attacks[i].name);
        running_attack = strcmp(attacks[i].name, "benign") == 0 ? NULL : attacks[i].name;
        attacks[i].run(argument);
        if (running_attack != NULL)
        {
            printf("%s: the attack had no effect\n", attacks[i].name);
            return 1;
        }
        return 0;
    }
    printf("unknown attack\n");
    return 2;
}
