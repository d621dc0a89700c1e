/*===- interrupting_model.c - A model.so that interrupts its trainer ------===
 *
 * Built by test/runtime/CMakeLists.txt as build/lib/mnistrt-interrupting.so,
 * for the tests of Ctrl-C and SIGTERM at a known step (checkpoint.test,
 * scripts/fuzz.sh's seeds): a model.so that forwards every function of
 * model.h to the model named by $INTERRUPTING_MODEL and, after the
 * $INTERRUPT_AFTER_STEPS-th training step returns, sends its own process
 * SIGINT as Ctrl-C would (SIGTERM if $INTERRUPT_SIGNAL is TERM). The
 * signal arrives at a point that does not depend on timing, and mnistrt
 * itself carries no hook for it.
 *
 * A training step is one mnistc_train_step, mnistc_train_step_at or
 * mnistc_apply_update (the data-parallel step's update) call.
 *===----------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include "mnistc/model.h"

#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *gModel;
static long gStepsLeft;
static int gSignal = SIGINT;

__attribute__((constructor)) static void openModel(void) {
  const char *path = getenv("INTERRUPTING_MODEL");
  const char *after = getenv("INTERRUPT_AFTER_STEPS");
  const char *signal = getenv("INTERRUPT_SIGNAL");
  if (!path || !*path) {
    fprintf(stderr, "mnistrt-interrupting.so: set INTERRUPTING_MODEL to "
                    "the model.so to forward to\n");
    exit(99);
  }
  gModel = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!gModel) {
    fprintf(stderr, "mnistrt-interrupting.so: %s\n", dlerror());
    exit(99);
  }
  gStepsLeft = after ? atol(after) : 0;
  if (signal && strcmp(signal, "TERM") == 0)
    gSignal = SIGTERM;
}

static void *find(const char *name) {
  void *fn = dlsym(gModel, name);
  if (!fn) {
    fprintf(stderr, "mnistrt-interrupting.so: the model lacks %s\n", name);
    exit(99);
  }
  return fn;
}

/* One training step has returned. */
static int32_t stepped(int32_t status) {
  if (gStepsLeft > 0 && --gStepsLeft == 0)
    raise(gSignal);
  return status;
}

/* RET NAME(PARAMS) { return WRAP(the model's NAME(ARGS)); } */
#define FORWARD(RET, NAME, WRAP, PARAMS, ARGS)                                 \
  RET NAME PARAMS {                                                            \
    static RET(*real) PARAMS;                                                  \
    if (!real)                                                                 \
      real = (RET(*) PARAMS)find(#NAME);                                       \
    return WRAP(real ARGS);                                                    \
  }
#define AS_IS
#define FORWARD_VOID(NAME, PARAMS, ARGS)                                       \
  void NAME PARAMS {                                                           \
    static void(*real) PARAMS;                                                 \
    if (!real)                                                                 \
      real = (void(*) PARAMS)find(#NAME);                                      \
    real ARGS;                                                                 \
  }

FORWARD(const mnistc_model_info *, mnistc_model_describe, AS_IS, (void), ())
FORWARD(const char *, mnistc_model_summary, AS_IS, (void), ())
FORWARD(const char *, mnistc_model_variants, AS_IS, (void), ())
FORWARD(const char *, mnistc_model_fingerprint, AS_IS, (void), ())
FORWARD(mnistc_ctx *, mnistc_create, AS_IS, (int32_t max_batch), (max_batch))
FORWARD_VOID(mnistc_destroy, (mnistc_ctx * ctx), (ctx))
FORWARD_VOID(mnistc_init_params, (mnistc_ctx * ctx, uint64_t seed),
             (ctx, seed))
FORWARD(int32_t, mnistc_train_step, stepped,
        (mnistc_ctx * ctx, const float *images, const void *labels,
         int32_t n, float lr, float *loss, int32_t *correct),
        (ctx, images, labels, n, lr, loss, correct))
FORWARD(int32_t, mnistc_eval_step, AS_IS,
        (mnistc_ctx * ctx, const float *images, const void *labels,
         int32_t n, float *loss, int32_t *correct),
        (ctx, images, labels, n, loss, correct))
FORWARD(int32_t, mnistc_forward, AS_IS,
        (mnistc_ctx * ctx, const float *images, int32_t n,
         float *probabilities),
        (ctx, images, n, probabilities))
FORWARD(float *, mnistc_params, AS_IS, (mnistc_ctx * ctx), (ctx))
FORWARD(float *, mnistc_state, AS_IS, (mnistc_ctx * ctx), (ctx))
FORWARD(int64_t *, mnistc_step_count, AS_IS, (mnistc_ctx * ctx), (ctx))
FORWARD(const float *, mnistc_gradients, AS_IS, (mnistc_ctx * ctx), (ctx))
FORWARD(int32_t, mnistc_compute_gradients, AS_IS,
        (mnistc_ctx * ctx, const float *images, const void *labels,
         int32_t n, int32_t first, float *loss, int32_t *correct),
        (ctx, images, labels, n, first, loss, correct))
FORWARD(int32_t, mnistc_apply_update, stepped, (mnistc_ctx * ctx, float lr),
        (ctx, lr))
FORWARD(float *, mnistc_gradient_buffer, AS_IS, (mnistc_ctx * ctx), (ctx))
FORWARD(int32_t, mnistc_device_gradients, AS_IS,
        (mnistc_ctx * ctx, void **cuda_context, uint64_t *device_pointer),
        (ctx, cuda_context, device_pointer))
FORWARD(int32_t, mnistc_set_dataset, AS_IS,
        (mnistc_ctx * ctx, const float *images, const int32_t *labels,
         int32_t count),
        (ctx, images, labels, count))
FORWARD(int32_t, mnistc_set_order, AS_IS,
        (mnistc_ctx * ctx, const int32_t *order, int32_t count),
        (ctx, order, count))
FORWARD(int32_t, mnistc_train_step_at, stepped,
        (mnistc_ctx * ctx, int32_t offset, int32_t n, float lr, float *loss,
         int32_t *correct),
        (ctx, offset, n, lr, loss, correct))
FORWARD(int32_t, mnistc_compute_gradients_at, AS_IS,
        (mnistc_ctx * ctx, int32_t offset, int32_t n, int32_t first,
         float *loss, int32_t *correct),
        (ctx, offset, n, first, loss, correct))
FORWARD(int32_t, mnistc_eval_step_at, AS_IS,
        (mnistc_ctx * ctx, int32_t offset, int32_t n, float *loss,
         int32_t *correct),
        (ctx, offset, n, loss, correct))
FORWARD_VOID(mnistc_memory,
             (const mnistc_ctx *ctx, mnistc_memory_usage *usage),
             (ctx, usage))
FORWARD(const char *, mnistc_last_error, AS_IS, (void), ())
FORWARD_VOID(mnistc_profile, (int32_t on), (on))
FORWARD(const char *, mnistc_profile_report, AS_IS, (void), ())
