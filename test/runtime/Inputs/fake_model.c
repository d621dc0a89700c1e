/*===- fake_model.c - Shared libraries that are not usable models ---------===
 *
 * Built three times by test/runtime/CMakeLists.txt into build/lib, for the
 * loader's error paths (bad-model.test):
 *   mnistrt-fake-plain.so    no mnistc_model_describe at all
 *   mnistrt-fake-abi999.so   describe() reports ABI version 999
 *   mnistrt-fake-partial.so  the right ABI version, but only describe()
 * None is ever asked to train: the loader must refuse each first.
 *===----------------------------------------------------------------------===*/
#include "mnistc/model.h"

#ifndef FAKE_ABI_VERSION
#define FAKE_ABI_VERSION MNISTC_ABI_VERSION
#endif

#ifdef FAKE_PLAIN
int fake_model_answer(void) { return 42; }
#else
static const mnistc_model_info kInfo = {
    .abi_version = FAKE_ABI_VERSION,
    .name = "fake",
    .target = "host",
    .input_rank = 1,
    .input_shape = {784},
    .input_size = 784,
    .num_classes = 10,
    .sparse_labels = 1,
    .optimizer = "SGD",
    .learning_rate = 0.01,
    .loss = "sparse_categorical_crossentropy",
    .batch_size = 32,
    .epochs = 1,
    .shuffle = 1,
    .seed = -1,
};

const mnistc_model_info *mnistc_model_describe(void) { return &kInfo; }
#endif
