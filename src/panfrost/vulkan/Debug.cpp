#include "Debug.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace panvk {

namespace {

uint32_t
parseFlags()
{
   const char *env = getenv("PANVK_DEBUG");
   if (!env)
      return 0;
   uint32_t flags = 0;
   std::string list(env);
   size_t start = 0;
   while (start <= list.size()) {
      size_t end = list.find(',', start);
      if (end == std::string::npos)
         end = list.size();
      const std::string word = list.substr(start, end - start);
      if (word == "startup")
         flags |= kDebugStartup;
      else if (word == "bind")
         flags |= kDebugBind;
      else if (word == "exec")
         flags |= kDebugExec;
      else if (word == "stats")
         flags |= kDebugStats;
      else if (word == "all")
         flags |= ~0u;
      start = end + 1;
   }
   return flags;
}

void
vlog(const char *format, va_list args)
{
   fputs("panvk: ", stderr);
   vfprintf(stderr, format, args);
   fputc('\n', stderr);
}

} // namespace

bool
debugEnabled(DebugFlag flag)
{
   static const uint32_t flags = parseFlags();
   return flags & flag;
}

void
debugLog(const char *format, ...)
{
   va_list args;
   va_start(args, format);
   vlog(format, args);
   va_end(args);
}

void
errorLog(const char *format, ...)
{
   va_list args;
   va_start(args, format);
   vlog(format, args);
   va_end(args);
}

} // namespace panvk
