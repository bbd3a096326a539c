// Runs a LLVMFuzzerTestOneInput target without libFuzzer: over every file of
// the given files or folders (the seed corpus, or crash reproducers), then over
// `--random N` deterministic pseudo-random inputs, including mutations of the
// seeds. Used by ctest so each fuzz target runs in every build.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {
std::vector<uint8_t> read_file(const std::filesystem::path &p) {
    std::ifstream in(p, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

int main(int argc, char **argv) {
    long random_runs = 0;
    std::vector<std::vector<uint8_t>> seeds;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--random") == 0 && i + 1 < argc) {
            random_runs = std::strtol(argv[++i], nullptr, 10);
            continue;
        }
        std::filesystem::path p(argv[i]);
        if (std::filesystem::is_directory(p)) {
            for (const auto &e : std::filesystem::recursive_directory_iterator(p))
                if (e.is_regular_file()) seeds.push_back(read_file(e.path()));
        } else if (std::filesystem::exists(p)) {
            seeds.push_back(read_file(p));
        }
    }
    for (const auto &s : seeds) LLVMFuzzerTestOneInput(s.data(), s.size());

    std::mt19937_64 rng(0x70686f6e65686f6dULL);
    std::vector<uint8_t> buf;
    for (long r = 0; r < random_runs; ++r) {
        if (!seeds.empty() && (r & 1)) {
            buf = seeds[rng() % seeds.size()];
            const size_t flips = 1 + rng() % 8;
            for (size_t f = 0; f < flips && !buf.empty(); ++f) buf[rng() % buf.size()] ^= uint8_t(1u << (rng() % 8));
            if (!buf.empty() && rng() % 4 == 0) buf.resize(rng() % buf.size());
        } else {
            buf.resize(rng() % 256);
            for (auto &b : buf) b = uint8_t(rng());
        }
        LLVMFuzzerTestOneInput(buf.data(), buf.size());
    }
    std::printf("%zu seed inputs and %ld generated inputs ran without a crash\n", seeds.size(), random_runs);
    return 0;
}
