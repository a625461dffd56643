/* Book a ride by voice from C: load the model, plug in the app's ride
 * service as an action, hear WAV files (one utterance each: a command,
 * then the answer to any question it raised), print each turn.
 *
 *     make c-example            (builds target/c/ride and runs it)
 *     target/c/ride examples/audio/book_ride.wav examples/audio/confirm.wav
 */
#include <stdio.h>
#include <stdlib.h>
#include "hush.h"

/* The app's ride service. hush calls it on one of its threads with the
 * intent as JSON; the answer is what the user hears. */
static int order_ride(const char *intent_json, hush_reply *reply, void *rides) {
    printf("action: %s\n", intent_json);
    ++*(int *)rides;
    return hush_reply_set(reply, "{\"say\": \"Your driver is on the way.\", \"data\": {\"eta_min\": 4}}");
}

static int fail(const char *what) {
    fprintf(stderr, "%s: %s\n", what, hush_last_error());
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s command.wav [answer.wav ...]\n", argv[0]);
        return 2;
    }
    printf("hush %s\n", hush_version());
    int err, rides = 0;
    /* The engine's JSON config: $HUSH_CONFIG, or the default model. */
    const char *config = getenv("HUSH_CONFIG");
    hush_engine *engine = hush_engine_new(config ? config : "{\"model\": \"tiny.en-q8_0\"}", &err);
    if (!engine)
        return fail("engine");
    if (hush_register_action(engine, "order_ride", order_ride, &rides) != HUSH_OK)
        return fail("action");
    hush_session *session = hush_session_new(engine, &err);
    if (!session)
        return fail("session");
    for (int i = 1; i < argc; i++) {
        if (hush_process_wav(session, argv[i]) < 0)
            return fail(argv[i]);
        char *turn = hush_session_result_json(session);
        printf("turn: %s\n", turn);
        hush_string_free(turn);
    }
    hush_session_free(session);
    hush_engine_free(engine);
    return rides == 1 ? 0 : 1;
}
