/*===- model.h - The C ABI of a model.so built by mnistc -------------------===
 *
 * The only thing the runtime and the compiler share. A model.so exports
 * `mnistc_model_describe` (what the model is: input shape, classes,
 * parameters, the DSL's compile/fit settings) and the functions below,
 * all generic over models. Every buffer a step needs is allocated once, by
 * mnistc_create, for a maximum batch; steps allocate nothing.
 *
 * Layout: images are row-major float32 [n][input_shape...] scaled to
 * [0, 1]; sparse labels are int32 [n]; one-hot labels float32 [n][classes];
 * probabilities float32 [n][classes]. Parameters live in one float32
 * buffer, each tensor at its `offset` in Keras layout, row-major.
 *
 * Versioning: MNISTC_ABI_VERSION changes with any incompatible change; the
 * runtime refuses a model.so whose describe() reports another version.
 * See docs/abi.md.
 *===----------------------------------------------------------------------===*/
#ifndef MNISTC_MODEL_H
#define MNISTC_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MNISTC_ABI_VERSION 1
#define MNISTC_MAX_RANK 4

/* One parameter tensor (a Dense kernel, a bias, ...). */
typedef struct mnistc_param {
  const char *layer;       /* "dense_1" */
  const char *name;        /* "kernel", "bias", "gamma", "moving_mean" */
  int32_t rank;
  int64_t shape[MNISTC_MAX_RANK]; /* Keras layout, e.g. (in, units) */
  int64_t offset;          /* in floats, into the parameter buffer */
  int64_t size;            /* number of floats */
  const char *initializer; /* "glorot_uniform", "zeros", "ones", ... */
  int64_t fan_in, fan_out; /* Keras's fans for the initializer */
  int32_t trainable;
} mnistc_param;

/* What a model is; static data inside the model.so. */
typedef struct mnistc_model_info {
  uint32_t abi_version;    /* MNISTC_ABI_VERSION of the compiler */
  const char *name;        /* the DSL model name */
  const char *target;      /* the Halide target it was compiled for */
  int32_t input_rank;
  int64_t input_shape[MNISTC_MAX_RANK]; /* without the batch axis */
  int64_t input_size;      /* floats per image */
  int32_t num_classes;
  int32_t sparse_labels;   /* 1: int32 class indices; 0: one-hot rows */
  int32_t num_params;
  const mnistc_param *params;
  int64_t param_floats;    /* size of the parameter buffer */
  int64_t state_floats;    /* size of the optimizer state buffer */
  /* compile(...) */
  const char *optimizer;   /* "SGD", "Adam", "RMSprop" */
  double learning_rate;
  const char *loss;
  /* fit(...) */
  int32_t batch_size;
  int32_t epochs;
  double validation_split;
  int32_t shuffle;
  int64_t seed;            /* -1: none given */
  const char *callbacks;   /* the fit callbacks as written, JSON */
} mnistc_model_info;

typedef struct mnistc_ctx mnistc_ctx;

/* The model's description. Valid for the life of the loaded library. */
const mnistc_model_info *mnistc_model_describe(void);

/* The model's Keras-style summary table, as `mnistc --summary` prints it
 * (layers, output shapes, parameter counts). */
const char *mnistc_model_summary(void);

/* The CPU variants the model.so holds, one a line, best first: a name
 * and the Halide target of its kernels ("avx512 x86-64-linux-...", then
 * "avx2 x86-64-linux-..." for --target=portable; "- <target>" for a
 * model.so of one). The first the running CPU executes is the one that
 * runs, and info.target is its target. Optional: a model.so from an older
 * mnistc does not export it. */
const char *mnistc_model_variants(void);

/* 32 hex digits identifying the model's training graph (layers, parameter
 * shapes, loss, optimizer; not the fit settings): checkpoints record it and
 * refuse to load into another model (docs/checkpoint.md). */
const char *mnistc_model_fingerprint(void);

/* A context for batches of at most `max_batch` images; NULL if out of
 * memory, if one of its buffers would pass 2^31 bytes (Halide's 32-bit
 * addressing), if this CPU lacks an instruction set the model.so was
 * compiled for, or (--target=cuda) if there is no usable GPU. In the last
 * two cases mnistc_last_error says why, naming the file and what is
 * missing; otherwise it is "". Parameters start at zero: call
 * mnistc_init_params. */
mnistc_ctx *mnistc_create(int32_t max_batch);
void mnistc_destroy(mnistc_ctx *ctx);

/* Keras's initializers from `seed` (deterministic on every machine); the
 * optimizer state and step count are reset to zero. */
void mnistc_init_params(mnistc_ctx *ctx, uint64_t seed);

/* One training step on n <= max_batch images: forward, loss, backward,
 * optimizer update with learning rate `lr`. Writes the batch's mean loss
 * and number of correct predictions. Returns 0, or non-zero on an error
 * (n out of range, a kernel failure). */
int32_t mnistc_train_step(mnistc_ctx *ctx, const float *images,
                          const void *labels, int32_t n, float lr,
                          float *loss, int32_t *correct);

/* Loss and correct count without updating anything (inference mode). */
int32_t mnistc_eval_step(mnistc_ctx *ctx, const float *images,
                         const void *labels, int32_t n, float *loss,
                         int32_t *correct);

/* Class probabilities, float32 [n][num_classes]. */
int32_t mnistc_forward(mnistc_ctx *ctx, const float *images, int32_t n,
                       float *probabilities);

/* The parameter buffer (param_floats floats) and the optimizer state
 * (state_floats floats, then the step count), for checkpoints. In a model.so
 * built with --target=cuda they live on the GPU: these functions copy
 * what a step changed since to the host buffer they return, and what the
 * caller writes there goes back to the GPU before the next step. So ask
 * again after a step rather than keep the pointer's contents. */
float *mnistc_params(mnistc_ctx *ctx);
float *mnistc_state(mnistc_ctx *ctx);
int64_t *mnistc_step_count(mnistc_ctx *ctx);

/* The gradient of the loss w.r.t. each trainable parameter, as computed by
 * the last mnistc_train_step (param_floats floats, laid out like the
 * parameter buffer; non-trainable entries are unspecified). For tests and
 * debugging: a step with lr = 0 computes it without changing the
 * trainable parameters (it still counts as a step: the step count, the
 * optimizer state and BatchNormalization's moving statistics move). */
const float *mnistc_gradients(mnistc_ctx *ctx);

/* Data-parallel training (docs/distributed.md): mnistc_train_step in two
 * halves, so that the gradients of several processes can be averaged
 * between them. Optional: a model.so from an older mnistc exports none
 * of these four.
 *
 * mnistc_compute_gradients runs forward, loss and backward on n images
 * that are images first .. first+n-1 of a larger batch (a shard; first is
 * 0 for a whole batch: Dropout draws each image's mask by its place in
 * the whole batch, so shards draw what one process would). It writes the
 * shard's mean loss and correct count and leaves in the gradient buffer
 * the gradient of the shard's mean loss (the L2 terms included). Nothing
 * else changes but BatchNormalization's moving statistics.
 *
 * mnistc_apply_update applies the optimizer with learning rate `lr` to
 * the parameters from what the gradient buffer holds then, and counts the
 * step. compute then apply gives bit for bit what mnistc_train_step
 * gives. */
int32_t mnistc_compute_gradients(mnistc_ctx *ctx, const float *images,
                                 const void *labels, int32_t n,
                                 int32_t first, float *loss,
                                 int32_t *correct);
int32_t mnistc_apply_update(mnistc_ctx *ctx, float lr);

/* The gradient buffer, writable: param_floats floats laid out like the
 * parameter buffer, the trainable tensors first (the optimizer reads
 * the floats before the first non-trainable tensor's offset). In a CUDA
 * model.so, as mnistc_params: a host copy that goes back to the GPU
 * before the next step. */
float *mnistc_gradient_buffer(mnistc_ctx *ctx);

/* CUDA model.so only: where the gradient buffer lives on the GPU, for a
 * collective that works in device memory (NCCL): the CUDA context
 * (a CUcontext) the model.so's kernels run in, and the buffer's device
 * pointer (a CUdeviceptr). The caller may change the gradients there
 * (in that context, finished before mnistc_apply_update). Returns 0, or
 * -1 for a CPU model.so or when the GPU cannot be reached. */
int32_t mnistc_device_gradients(mnistc_ctx *ctx, void **cuda_context,
                                uint64_t *device_pointer);

/* Steps from a data set the context holds: a whole data set (the
 * training set) handed over once, then steps that name their batch by its
 * place in an order (an epoch's shuffle, the validation samples),
 * gathered by a kernel of the model.so. In a
 * model.so built with --target=cuda the data set and the order live in
 * GPU memory, so such a step sends the GPU nothing but its scalars
 * (docs/cuda.md). Optional: a model.so from an older mnistc exports none
 * of these five.
 *
 * mnistc_set_dataset: `count` images (the layout above) and their class
 * indices (int32 in 0 .. num_classes-1, whatever the model's label form:
 * the gather builds one-hot rows itself). A CUDA model.so copies both to
 * the GPU; a CPU model.so reads them where they are, so they must stay
 * alive and unchanged while the context steps from them (until
 * mnistc_destroy or the next mnistc_set_dataset). Forgets the order.
 * Returns 0, or -1 (no data, a label out of range, images past 2^31
 * bytes, no room on the GPU).
 *
 * mnistc_set_order: `count` places of images in the data set (each in
 * 0 .. count of the data set - 1, repeats allowed), copied (to the GPU).
 * Returns 0, or -1 (no data set, an entry out of range).
 *
 * mnistc_train_step_at, mnistc_compute_gradients_at and
 * mnistc_eval_step_at are mnistc_train_step, mnistc_compute_gradients and
 * mnistc_eval_step on the n images order[offset] .. order[offset + n - 1]
 * and their labels, bit for bit what those give on the same batch. They
 * return -1 also when no order is set or offset + n passes its end. */
int32_t mnistc_set_dataset(mnistc_ctx *ctx, const float *images,
                           const int32_t *labels, int32_t count);
int32_t mnistc_set_order(mnistc_ctx *ctx, const int32_t *order,
                         int32_t count);
int32_t mnistc_train_step_at(mnistc_ctx *ctx, int32_t offset, int32_t n,
                             float lr, float *loss, int32_t *correct);
int32_t mnistc_compute_gradients_at(mnistc_ctx *ctx, int32_t offset,
                                    int32_t n, int32_t first, float *loss,
                                    int32_t *correct);
int32_t mnistc_eval_step_at(mnistc_ctx *ctx, int32_t offset, int32_t n,
                            float *loss, int32_t *correct);

/* What a context holds, in bytes. The arena holds every intermediate of a
 * step for max_batch images, laid out by the compiler's memory plan
 * (`mnistc --emit=memory-plan`); the kernels' scratch is the pool their
 * temporary buffers come from, shared by all contexts of the model.so,
 * at its largest so far. Optional: a model.so from an older mnistc does
 * not export it. */
typedef struct mnistc_memory_usage {
  int64_t params;
  int64_t gradients;
  int64_t state;
  int64_t arena;
  int64_t scratch;
} mnistc_memory_usage;
void mnistc_memory(const mnistc_ctx *ctx, mnistc_memory_usage *usage);

/* The message of the last kernel failure (a step returned non-zero
 * because a kernel failed: Halide's own message, e.g. a bounds check), or
 * "". Optional: a model.so from an older mnistc aborts the process on a
 * kernel failure instead. */
const char *mnistc_last_error(void);

/* Per-kernel timing, for `mnistrt bench --profile` and `mnistc --report`.
 * mnistc_profile(1) clears the counts and times every kernel call of the
 * model.so's steps from then on; mnistc_profile(0) stops. Meant for one
 * thread stepping at a time. In a CUDA model.so each timed call waits for
 * the GPU to finish it, so the times are the kernels' own (and profiled
 * steps run slower). mnistc_profile_report() returns the counts
 * as text, valid until its next call:
 *   step <train|eval|forward> <steps> <images>      (one line per step)
 *   call <step> <index> <kernel symbol> <calls> <seconds>
 * (one line per kernel call of each step, in order). Optional: a model.so
 * from an older mnistc exports neither. */
void mnistc_profile(int32_t on);
const char *mnistc_profile_report(void);

#ifdef __cplusplus
}
#endif

#endif /* MNISTC_MODEL_H */
