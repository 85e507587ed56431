// Runs the registered Google Benchmark benchmarks and, after the usual console
// output, prints ratios between medians measured in that same run (MMU copy vs
// memcpy, batched vs single binds). Ratios from one run share the machine's
// state at that moment, which matters on a noisy host.
#pragma once

#include <string>
#include <vector>

namespace pan::bench {

// numerator / denominator of one counter's median. Benchmarks are named as
// "function/args" without the repetition suffix, e.g. "MmuCopy/pages:4k".
struct Ratio {
   std::string label;
   std::string numerator;
   std::string denominator;
   std::string counter = "items_per_second";
};

// The body of main(): initialises the library from argv, runs, prints the
// ratios. With --benchmark_format other than console the library's own
// reporter runs and no ratios are printed. Returns main's exit status.
int runWithRatios(int argc, char **argv, const std::vector<Ratio> &ratios);

} // namespace pan::bench
