#include <gtest/gtest.h>
#include <memory>

#include "kmod/Result.h"

namespace pan::kmod {
namespace {

Result<int> half(int value) {
   if (value % 2)
      return fail(EINVAL, "half of " + std::to_string(value));
   return value / 2;
}

TEST(ResultTest, ValueOrError) {
   Result<int> good = half(8);
   ASSERT_TRUE(good.ok());
   EXPECT_TRUE(static_cast<bool>(good));
   EXPECT_EQ(good.value(), 4);

   Result<int> bad = half(3);
   ASSERT_FALSE(bad);
   EXPECT_EQ(bad.error().errnum, EINVAL);
   EXPECT_EQ(bad.error().message, "half of 3: EINVAL");
   EXPECT_FALSE(bad.error().opIndex);
}

TEST(ResultTest, MoveOnlyValues) {
   Result<std::unique_ptr<int>> owned = std::make_unique<int>(7);
   ASSERT_TRUE(owned);
   std::unique_ptr<int> taken = std::move(owned).value();
   EXPECT_EQ(*taken, 7);
}

TEST(ResultTest, VoidResult) {
   Result<void> ok = success();
   EXPECT_TRUE(ok);
   Result<void> bad = fail(ENOMEM, "allocation");
   ASSERT_FALSE(bad);
   EXPECT_EQ(bad.error().errnum, ENOMEM);
   EXPECT_EQ(bad.takeError().message, "allocation: ENOMEM");
}

TEST(ResultTest, UnnamedErrnoStillHasAMessage) {
   EXPECT_EQ(fail(4000, "x").message, "x: errno 4000");
}

} // namespace
} // namespace pan::kmod
