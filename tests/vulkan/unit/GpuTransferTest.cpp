// GpuTransfer: scattered pieces read and written through the mock GPU's MMU
// (several pieces per access, any order), and the place of a fault.
#include <algorithm>
#include <numeric>

#include "ExecutorFixture.h"
#include "Buffer.h"
#include "GpuTransfer.h"

namespace panvk::test {
namespace {

class GpuTransferTest : public ExecutorFixture {
protected:
   uint64_t vaOf(const HostBuffer &buffer) { return Buffer::from(buffer.buffer)->va(); }
};

TEST_F(GpuTransferTest, ScatteredPiecesLandInPlaceInAnyOrder)
{
   const uint64_t size = 1 << 20;
   HostBuffer target = hostBuffer(size, 0);
   GpuTransfer transfer(gpu(), vmId());
   // 300 pieces of 1..700 bytes with gaps of up to 100 KiB (some spans hold
   // several pieces, some one), given in a shuffled order.
   std::vector<Piece> pieces;
   uint64_t va = 5, stream = 0;
   for (int i = 0; i < 300 && va < size; i++) {
      const uint64_t bytes = std::min<uint64_t>(1 + (i * 37) % 700, size - va);
      pieces.push_back(Piece{vaOf(target) + va, stream, bytes});
      stream += bytes;
      va += bytes + (i % 7 == 0 ? 100 * 1024 : (i * 13) % 300);
   }
   ASSERT_GT(pieces.size(), 30u);
   std::reverse(pieces.begin(), pieces.end());
   std::rotate(pieces.begin(), pieces.begin() + pieces.size() / 3, pieces.end());
   const std::vector<uint8_t> staged = randomBytes(stream, 20);
   std::vector<Piece> writes = pieces;
   ASSERT_TRUE(transfer.write(writes, staged.data()));

   std::vector<uint8_t> expected(size, 0);
   for (const Piece &p : pieces)
      std::copy_n(&staged[p.stream], p.bytes, &expected[p.va - vaOf(target)]);
   ASSERT_EQ(0, memcmp(expected.data(), target.data, size));

   std::vector<uint8_t> back(stream, 0);
   std::vector<Piece> reads = pieces;
   ASSERT_TRUE(transfer.read(reads, back.data()));
   EXPECT_EQ(staged, back);
   EXPECT_FALSE(transfer.failure());
}

TEST_F(GpuTransferTest, AFaultSaysWhere)
{
   HostBuffer target = hostBuffer(1 << 16, 0);
   GpuTransfer transfer(gpu(), vmId());
   // A VA the device's allocator never hands out (below 4 GiB).
   std::vector<Piece> pieces{{vaOf(target), 0, 64}, {0x10000, 64, 64}};
   uint8_t staged[128] = {};
   EXPECT_FALSE(transfer.write(pieces, staged));
   ASSERT_TRUE(transfer.failure());
   EXPECT_EQ(0x10000u, transfer.failure()->va);
   EXPECT_TRUE(transfer.failure()->error.empty());
}

TEST_F(GpuTransferTest, FillsAndPlainCopies)
{
   HostBuffer target = hostBuffer(4096, 0);
   GpuTransfer transfer(gpu(), vmId());
   ASSERT_TRUE(transfer.fill(vaOf(target) + 4, 8, 0xa1b2c3d4));
   const uint8_t word[4] = {0xd4, 0xc3, 0xb2, 0xa1};
   EXPECT_EQ(0, memcmp(target.data + 4, word, 4));
   EXPECT_EQ(0, memcmp(target.data + 8, word, 4));
   EXPECT_EQ(0, target.data[12]);
   const uint8_t data[3] = {1, 2, 3};
   ASSERT_TRUE(transfer.write(vaOf(target) + 100, data, 3));
   uint8_t back[3] = {};
   ASSERT_TRUE(transfer.read(vaOf(target) + 100, back, 3));
   EXPECT_EQ(0, memcmp(data, back, 3));
}

} // namespace
} // namespace panvk::test
