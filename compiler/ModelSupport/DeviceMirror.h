//===- DeviceMirror.h - A context's buffers on the GPU ----------*- C++ -*-===//
//
// Part of the model support library (ModelSupport.cpp). In a model.so
// built with --target=cuda every buffer a step touches lives on the GPU
// for the life of the context: one device allocation per region of the
// buffer table (arena, parameters, optimizer state, gradients, and
// staging for the images, labels and probabilities of one batch), and
// every buffer of the table wrapped at its offset in its region's
// allocation, so the device memory aliases exactly as the host memory
// does (the memory plan's shared arena slots, Flatten's views). Halide's
// kernels then find every input already on the device and leave their
// outputs there; the host copies of a buffer are brought up to date only
// when asked (download) and sent only when the host wrote them (upload).
//
// Everything goes through Halide's device interface, so a model.so needs
// no CUDA library at link time: Halide's CUDA runtime, linked into a CUDA
// model.so only, loads the driver (libcuda.so) when the first context is
// created. A CPU model.so has no device interface and never builds a
// mirror.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_MODELSUPPORT_DEVICEMIRROR_H
#define MNISTC_COMPILER_MODELSUPPORT_DEVICEMIRROR_H

#include "compiler/ModelSupport/BufferTable.h"

#include "HalideRuntime.h"

#include <vector>

namespace mnistc::modelso {

/// Halide's CUDA device interface where the model.so links Halide's CUDA
/// runtime, else null.
const halide_device_interface_t *cudaDeviceInterface();

class DeviceMirror {
public:
  /// The regions of BufferTable.h; the data set's and the order's are
  /// not allocated as regions (see place).
  static constexpr int kRegions = 10;

  explicit DeviceMirror(const halide_device_interface_t *device)
      : device_(device) {}
  ~DeviceMirror();
  DeviceMirror(const DeviceMirror &) = delete;
  DeviceMirror &operator=(const DeviceMirror &) = delete;

  /// Allocates `bytes` of device memory for `region`, mirroring `host`
  /// (null for the per-step regions, whose host memory is the caller's).
  /// Returns Halide's error code (0: success).
  int allocate(Region region, int64_t bytes, void *host);

  /// Gives `buffer` the device memory at `byteOffset` in `region`'s
  /// allocation, or the device memory of `target` (a view's storage).
  int wrap(halide_buffer_t &buffer, Region region, int64_t byteOffset);
  int wrapView(halide_buffer_t &buffer, const halide_buffer_t &target);

  /// Gives `buffer` device memory of its own, freed with the mirror (what
  /// it had before is freed first), and copies its host memory there: a
  /// data set or an order, whose size is known only when the caller sets
  /// it.
  int place(halide_buffer_t &buffer);

  /// Copies the host memory of `buffer` to its device memory, or back.
  int upload(halide_buffer_t &buffer);
  int download(halide_buffer_t &buffer);
  /// The same for a whole region (parameters, optimizer state, gradients);
  /// nothing for a region of no bytes.
  int upload(Region region) {
    halide_buffer_t &b = regions_[index(region)];
    return b.device ? upload(b) : 0;
  }
  int download(Region region) {
    halide_buffer_t &b = regions_[index(region)];
    return b.device ? download(b) : 0;
  }

  /// Where `region` lives on the GPU, for CUDA code outside Halide (a
  /// collective such as NCCL): the CUDA context (CUcontext) Halide's
  /// kernels run in and the region's device pointer (CUdeviceptr).
  /// Returns Halide's error code (0: success).
  int locate(Region region, void *&cudaContext, uint64_t &pointer);

private:
  static int index(Region region) { return static_cast<int>(region); }

  const halide_device_interface_t *device_;
  halide_buffer_t regions_[kRegions] = {};
  halide_dimension_t regionDims_[kRegions] = {};
  /// The wrapped buffers, detached again when the mirror goes, and the
  /// placed ones, freed then.
  std::vector<halide_buffer_t *> wrapped_, placed_;
};

} // namespace mnistc::modelso

#endif // MNISTC_COMPILER_MODELSUPPORT_DEVICEMIRROR_H
