// libFuzzer target: the server's reader of client WebSocket frames (app/server/frame_reader.*),
// which sees every byte a peer sends before anything else does.
// Properties: no crash or UB; the frames read do not depend on how the bytes were split
// (the first input byte picks a split point); nothing larger than the limit is ever returned;
// text messages returned are valid UTF-8; after a failure nothing more is returned.
#include "fuzz_support.h"
#include "server/frame_reader.h"

using chalk::fuzz::fail;
using chalk::server::FrameReader;
using chalk::server::IncomingFrame;

namespace {

constexpr qsizetype kMax = 4096;

QList<IncomingFrame> readAll(FrameReader &r)
{
    QList<IncomingFrame> out;
    IncomingFrame f;
    while (r.next(f)) {
        if (f.payload.size() > kMax)
            fail("a frame or message larger than the limit was returned");
        if (f.kind == IncomingFrame::Kind::Text &&
            !FrameReader::isValidUtf8(f.payload.constData(), f.payload.size()))
            fail("a text message that is not UTF-8 was returned", f.payload);
        out.append(f);
        if (f.kind == IncomingFrame::Kind::Failed && r.next(f))
            fail("a frame was returned after a failure");
    }
    return out;
}

bool same(const QList<IncomingFrame> &a, const QList<IncomingFrame> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].kind != b[i].kind || a[i].payload != b[i].payload ||
            a[i].closeCode != b[i].closeCode)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    FrameReader whole(kMax);
    whole.append(bytes);
    const QList<IncomingFrame> once = readAll(whole);

    const qsizetype split = bytes.isEmpty() ? 0 : data[0] % (bytes.size() + 1);
    FrameReader pieces(kMax);
    pieces.append(bytes.left(split));
    QList<IncomingFrame> twice = readAll(pieces);
    pieces.append(bytes.mid(split));
    twice += readAll(pieces);
    if (!same(once, twice))
        fail("the frames read depend on how the bytes were split", bytes.toHex());
    return 0;
}
