/*
 * calls.c: the PEX call handlers of the library's policies, in C (the generated policy_call() dispatches to them by
 * op). Each does what its policy's C# handler does, in the same order of interning.
 *
 * PEX_TAGGED_BASE and PEX_TAGGED_SIZE, set by the builder, are the AP memory that has tags: a handler writes the tags
 * of words inside it only.
 */
#include "pex.h"

#ifndef PEX_TAGGED_BASE
#error "PEX_TAGGED_BASE, PEX_TAGGED_SIZE: the builder defines the AP's tagged memory"
#endif

/* The region of released memory (heap): no pointer has this colour. */
#define HEAP_FREED 0xFFFFu

/*
 * Gives every word of tagged memory that overlaps the bytes [address, address + size) the set <set>, interned first
 * (once, whether or not a word overlaps). False when the interning table is full (nothing written).
 */
static int set_words(uint32_t address, uint32_t size, const meta_set *set)
{
    uint32_t tag = intern(set);
    if (tag == PEX_TABLE_FULL)
        return 0;
    if (size == 0)
        return 1;
    uint32_t last = address + (size - 1);
    if (last < address)
        last = 0xFFFFFFFFu;
    const uint32_t tagged_last = PEX_TAGGED_BASE + (PEX_TAGGED_SIZE - 1);
    uint32_t from = address < PEX_TAGGED_BASE ? PEX_TAGGED_BASE : address & ~3u;
    uint32_t to = last > tagged_last ? tagged_last : last;
    if (from > to)
        return 1;
    for (uint32_t words = ((to & ~3u) - from) >> 2, word = from;; word += 4, words--) {
        tag_write(word, tag);
        if (words == 0)
            break;
    }
    return 1;
}

static uint32_t heap_colours;

/* heap COLOUR(base, size): the next colour n (1, 2, ...); the block's words get {Region n}; result base, tagged {Colour n}. */
uint32_t heap_colour(uint32_t base, uint32_t size, const meta_set *caller, uint32_t *result_tag)
{
    if (!(caller->flags & PEX_FLAG_ALLOCATOR))
        return 0;
    uint32_t colour = ++heap_colours;
    if (colour >= HEAP_FREED)
        return 0;
    meta_set region = { .slot = { [PEX_SLOT_REGION] = (uint16_t)colour } };
    if (!set_words(base, size, &region))
        return 0;
    meta_set pointer = { .slot = { [PEX_SLOT_COLOUR] = (uint16_t)colour } };
    uint32_t tag = intern(&pointer);
    if (tag == PEX_TABLE_FULL)
        return 0;
    *result_tag = tag;
    return base;
}

/* heap RELEASE(base, size): the block's words get {Region freed}; result 0. */
uint32_t heap_release(uint32_t base, uint32_t size, const meta_set *caller, uint32_t *result_tag)
{
    (void)result_tag;
    if (!(caller->flags & PEX_FLAG_ALLOCATOR))
        return 0;
    meta_set freed = { .slot = { [PEX_SLOT_REGION] = HEAP_FREED } };
    set_words(base, size, &freed);
    return 0;
}
