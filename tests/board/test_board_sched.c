/* src/board/sequencer.c's admission of ballots to the proof workers
 * (docs/BOARD.md §4.1, check 13), without threads: one ballot per device
 * in flight, so a device that floods (valid or invalid proofs alike) gets
 * 429 for every ballot after its first, and another device's ballot is
 * admitted to checking right behind that one, before anything else of
 * the flooder; the slot comes back when the answer goes; a full queue is
 * 503 and releases the slot. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "board/board_int.h"
#include "testlib.h"

static sc_board *board_new(unsigned queue_max)
{
    sc_board *b = calloc(1, sizeof *b);
    assert_non_null(b);
    b->cfg.queue_max = queue_max;
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->seq_cv, NULL);
    pthread_cond_init(&b->work_cv, NULL);
    return b;
}

static void board_free(sc_board *b)
{
    bjob *j;
    while ((j = b->work_head) != NULL) {
        b->work_head = j->next;
        free(j);
    }
    free(b->busy);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->seq_cv);
    pthread_cond_destroy(&b->work_cv);
    free(b);
}

static bjob *ballot(uint8_t signer)
{
    bjob *j = calloc(1, sizeof *j);
    assert_non_null(j);
    j->e.type = SC_ENTRY_BALLOT;
    memset(j->e.signer, signer, 32);
    return j;
}

/* Enqueue a ballot of signer; the status it was refused with (0: queued;
 * a refused job is answered and freed). */
static unsigned offer(sc_board *b, uint8_t signer, bjob **queued)
{
    bjob *j = ballot(signer);
    if (bd_enqueue(b, j) == 0) {
        if (queued != NULL) {
            *queued = j;
        }
        return 0;
    }
    unsigned st = j->ans.status;
    bd_job_finish(b, j);
    return st;
}

static unsigned queue_len(const sc_board *b)
{
    unsigned n = 0;
    for (const bjob *j = b->work_head; j != NULL; j = j->next) {
        n++;
    }
    return n;
}

static void test_flooder_gets_one_slot(void **st)
{
    (void)st;
    sc_board *b = board_new(0);
    bjob *first = NULL;
    assert_int_equal(offer(b, 0xF1, &first), 0);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(offer(b, 0xF1, NULL), 429);
    }
    assert_int_equal(atomic_load(&b->metrics[M_R429]), 100);
    /* Another device: admitted at once, second in line. */
    bjob *other = NULL;
    assert_int_equal(offer(b, 0x0B, &other), 0);
    assert_int_equal(queue_len(b), 2);
    assert_ptr_equal(b->work_head, first);
    assert_ptr_equal(b->work_head->next, other);
    /* The flooder's first answer goes (a worker took it, the proofs
     * failed): its slot is free again, and only then. */
    b->work_head = other;
    b->work_len--;
    bd_refuse(first, 422, "V5: a proof fails");
    bd_job_finish(b, first);
    assert_int_equal(atomic_load(&b->metrics[M_R422]), 1);
    bjob *again = NULL;
    assert_int_equal(offer(b, 0xF1, &again), 0);
    assert_int_equal(offer(b, 0x0B, NULL), 429); /* 0x0B still queued */
    assert_ptr_equal(b->work_head->next, again);
    board_free(b);
}

static void test_full_queue_releases_slot(void **st)
{
    (void)st;
    sc_board *b = board_new(2);
    assert_int_equal(offer(b, 1, NULL), 0);
    assert_int_equal(offer(b, 2, NULL), 0);
    assert_int_equal(offer(b, 3, NULL), 503);
    assert_int_equal(b->nbusy, 2);
    /* Device 3 is not left holding a slot: after room is made it gets in. */
    bjob *j = b->work_head;
    b->work_head = j->next;
    b->work_len--;
    bd_refuse(j, 422, "x");
    bd_job_finish(b, j);
    assert_int_equal(offer(b, 3, NULL), 0);
    assert_int_equal(queue_len(b), 2);
    board_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flooder_gets_one_slot),
        cmocka_unit_test(test_full_queue_releases_slot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
