#include "RatioReporter.h"

#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstring>
#include <map>
#include <unistd.h>

namespace pan::bench {

namespace {

// The console reporter, keeping every median aggregate's counters by name.
class MedianRecorder : public benchmark::ConsoleReporter {
public:
   MedianRecorder() : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_Color : OO_None) {}

   void ReportRuns(const std::vector<Run> &runs) override {
      ConsoleReporter::ReportRuns(runs);
      for (const Run &run : runs) {
         if (run.run_type != Run::RT_Aggregate || run.aggregate_name != "median" ||
             run.error_occurred)
            continue;
         std::string name = run.run_name.function_name;
         if (!run.run_name.args.empty())
            name += "/" + run.run_name.args;
         for (const auto &[counter, value] : run.counters)
            medians_[name][counter] = value.value;
      }
   }

   const double *median(const std::string &name, const std::string &counter) const {
      const auto byName = medians_.find(name);
      if (byName == medians_.end())
         return nullptr;
      const auto byCounter = byName->second.find(counter);
      return byCounter == byName->second.end() ? nullptr : &byCounter->second;
   }

private:
   std::map<std::string, std::map<std::string, double>> medians_;
};

bool asksForOtherFormat(int argc, char **argv) {
   constexpr const char *kFlag = "--benchmark_format=";
   for (int i = 1; i < argc; i++) {
      if (std::strncmp(argv[i], kFlag, std::strlen(kFlag)) == 0 &&
          std::strcmp(argv[i] + std::strlen(kFlag), "console") != 0)
         return true;
   }
   return false;
}

void printRatios(const MedianRecorder &recorder, const std::vector<Ratio> &ratios) {
   if (ratios.empty())
      return;
   std::printf("\nRatios of medians, this run:\n");
   for (const Ratio &ratio : ratios) {
      const double *num = recorder.median(ratio.numerator, ratio.counter);
      const double *den = recorder.median(ratio.denominator, ratio.counter);
      if (!num || !den || *den == 0.0) {
         std::printf("  %-52s n/a (%s or %s did not run)\n", ratio.label.c_str(),
                     ratio.numerator.c_str(), ratio.denominator.c_str());
         continue;
      }
      std::printf("  %-52s %8.3f  (%s / %s, %s)\n", ratio.label.c_str(), *num / *den,
                  ratio.numerator.c_str(), ratio.denominator.c_str(), ratio.counter.c_str());
   }
}

} // namespace

int runWithRatios(int argc, char **argv, const std::vector<Ratio> &ratios) {
   // Before Initialize(), which removes the flags it knows from argv.
   const bool otherFormat = asksForOtherFormat(argc, argv);
   benchmark::Initialize(&argc, argv);
   if (benchmark::ReportUnrecognizedArguments(argc, argv))
      return 1;
   if (otherFormat) {
      benchmark::RunSpecifiedBenchmarks();
   } else {
      MedianRecorder recorder;
      benchmark::RunSpecifiedBenchmarks(&recorder);
      printRatios(recorder, ratios);
   }
   benchmark::Shutdown();
   return 0;
}

} // namespace pan::bench
