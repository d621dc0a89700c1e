//===- DeviceMirror.cpp - A context's buffers on the GPU ------------------===//
//
// See DeviceMirror.h. Copies are forced by setting the dirty flag of the
// side copied from: Halide copies a buffer only when it thinks that side
// is newer.
//
//===----------------------------------------------------------------------===//
#include "compiler/ModelSupport/DeviceMirror.h"

#include <algorithm>

// Defined (weak, like all of Halide's runtime) only by Halide's CUDA
// runtime, which a model.so built with --target=cuda links.
extern "C" const halide_device_interface_t *halide_cuda_device_interface()
    __attribute__((weak));
extern "C" int halide_cuda_acquire_context(void *userContext, void **context,
                                           bool create) __attribute__((weak));
extern "C" int halide_cuda_release_context(void *userContext)
    __attribute__((weak));

namespace mnistc::modelso {

const halide_device_interface_t *cudaDeviceInterface() {
  return halide_cuda_device_interface ? halide_cuda_device_interface()
                                      : nullptr;
}

int DeviceMirror::locate(Region region, void *&cudaContext,
                         uint64_t &pointer) {
  if (!halide_cuda_acquire_context)
    return halide_error_code_no_device_interface;
  if (int status = halide_cuda_acquire_context(nullptr, &cudaContext, true))
    return status;
  halide_cuda_release_context(nullptr);
  pointer = regions_[index(region)].device;
  return 0;
}

DeviceMirror::~DeviceMirror() {
  for (halide_buffer_t *buffer : wrapped_)
    halide_device_detach_native(nullptr, buffer);
  for (halide_buffer_t *buffer : placed_)
    halide_device_free(nullptr, buffer);
  for (halide_buffer_t &region : regions_)
    if (region.device)
      halide_device_free(nullptr, &region);
}

int DeviceMirror::allocate(Region region, int64_t bytes, void *host) {
  if (bytes == 0)
    return 0;
  halide_buffer_t &b = regions_[index(region)];
  halide_dimension_t &dim = regionDims_[index(region)];
  dim = halide_dimension_t{0, static_cast<int32_t>(bytes), 1, 0};
  b = halide_buffer_t();
  b.type = halide_type_t(halide_type_uint, 8);
  b.dimensions = 1;
  b.dim = &dim;
  b.host = static_cast<uint8_t *>(host);
  return halide_device_malloc(nullptr, &b, device_);
}

int DeviceMirror::wrap(halide_buffer_t &buffer, Region region,
                       int64_t byteOffset) {
  int status = halide_device_wrap_native(
      nullptr, &buffer, regions_[index(region)].device + byteOffset, device_);
  if (status == 0)
    wrapped_.push_back(&buffer);
  return status;
}

int DeviceMirror::wrapView(halide_buffer_t &buffer,
                           const halide_buffer_t &target) {
  int status =
      halide_device_wrap_native(nullptr, &buffer, target.device, device_);
  if (status == 0)
    wrapped_.push_back(&buffer);
  return status;
}

int DeviceMirror::place(halide_buffer_t &buffer) {
  if (buffer.device)
    if (int status = halide_device_free(nullptr, &buffer))
      return status;
  if (std::find(placed_.begin(), placed_.end(), &buffer) == placed_.end())
    placed_.push_back(&buffer);
  if (int status = halide_device_malloc(nullptr, &buffer, device_))
    return status;
  return upload(buffer);
}

int DeviceMirror::upload(halide_buffer_t &buffer) {
  buffer.flags = halide_buffer_flag_host_dirty;
  return halide_copy_to_device(nullptr, &buffer, device_);
}

int DeviceMirror::download(halide_buffer_t &buffer) {
  buffer.flags = halide_buffer_flag_device_dirty;
  return halide_copy_to_host(nullptr, &buffer);
}

} // namespace mnistc::modelso
