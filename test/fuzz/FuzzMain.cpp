//===- FuzzMain.cpp - Runs a fuzz target on saved inputs -------------------===//
//
// In the ordinary build (gcc, no libFuzzer) each fuzz target is linked with
// this main instead of libFuzzer's, so the saved inputs, the seeds that
// reached new code and every input that once crashed, run in `make check`
// (and under the sanitizers in `make check-sanitize`):
//
//   fuzz-dsl FILE_OR_DIR...
//
// Each file is given to LLVMFuzzerTestOneInput once; directories are read
// one level deep, in name order. Exits 0 when all ran, 1 when none was
// found, and crashes as the target does otherwise.
//
//===----------------------------------------------------------------------===//
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int *argc,
                                                          char ***argv);

int main(int argc, char **argv) {
  namespace fs = std::filesystem;
  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize(&argc, &argv);
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    fs::path p = argv[i];
    if (!fs::is_directory(p)) {
      inputs.push_back(p);
      continue;
    }
    std::vector<fs::path> files;
    for (const fs::directory_entry &e : fs::directory_iterator(p))
      if (e.is_regular_file())
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
    inputs.insert(inputs.end(), files.begin(), files.end());
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "%s: no inputs given or found\n", argv[0]);
    return 1;
  }
  for (const fs::path &p : inputs) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot read %s\n", argv[0], p.c_str());
      return 1;
    }
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.data()),
                           bytes.size());
  }
  std::printf("%zu inputs ran\n", inputs.size());
  return 0;
}
