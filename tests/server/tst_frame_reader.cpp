// FrameReader: client frames read byte by byte as they may arrive (split anywhere), every
// RFC 6455 violation failed with its close code, sizes refused before the payload comes, and
// the UTF-8 check against the overlong, surrogate and out-of-range forms.
#include "server/frame_reader.h"

#include <QTest>
#include <QtEndian>

using chalk::server::FrameReader;
using chalk::server::IncomingFrame;
using Kind = IncomingFrame::Kind;

namespace {

// A client frame: FIN, opcode, masked (with a fixed key) unless told otherwise; any length.
QByteArray frame(bool fin, int opcode, const QByteArray &payload, bool masked = true, int rsv = 0)
{
    QByteArray f;
    f.append(char((fin ? 0x80 : 0) | (rsv << 4) | opcode));
    const char maskBit = masked ? char(0x80) : char(0);
    if (payload.size() < 126) {
        f.append(char(maskBit | payload.size()));
    } else if (payload.size() <= 0xffff) {
        f.append(char(maskBit | 126));
        char len[2];
        qToBigEndian(quint16(payload.size()), len);
        f.append(len, 2);
    } else {
        f.append(char(maskBit | 127));
        char len[8];
        qToBigEndian(quint64(payload.size()), len);
        f.append(len, 8);
    }
    if (!masked)
        return f + payload;
    const QByteArray mask("\x37\xfa\x21\x3d", 4);
    f.append(mask);
    for (qsizetype i = 0; i < payload.size(); ++i)
        f.append(char(payload[i] ^ mask[i % 4]));
    return f;
}

QList<IncomingFrame> readAll(FrameReader &r)
{
    QList<IncomingFrame> out;
    IncomingFrame f;
    while (r.next(f))
        out.append(f);
    return out;
}

} // namespace

class TestFrameReader : public QObject {
    Q_OBJECT

private slots:
    void framesSplitAtEveryByteReadTheSame()
    {
        const QByteArray stream =
            frame(true, 0x1, "hello") + frame(true, 0x9, "ping-1") + frame(false, 0x1, "frag") +
            frame(false, 0x0, {}) + frame(true, 0xA, "pong") + frame(true, 0x0, "mented") +
            frame(true, 0x2, QByteArray(300, 'b')) + frame(true, 0x1, QByteArray(70000, 't')) +
            frame(true, 0x8,
                  QByteArray("\x03\xe8"
                             "bye",
                             5));
        FrameReader r(128 * 1024);
        QList<IncomingFrame> got;
        for (char c : stream) {
            r.append(QByteArray(1, c));
            got += readAll(r);
        }
        QCOMPARE(r.buffered(), 0);
        const QList<Kind> kinds{Kind::Text,     Kind::Ping, Kind::Fragment,
                                Kind::Fragment, Kind::Pong, Kind::Text,
                                Kind::Binary,   Kind::Text, Kind::Close};
        QCOMPARE(got.size(), kinds.size());
        for (qsizetype i = 0; i < got.size(); ++i)
            QCOMPARE(int(got[i].kind), int(kinds[i]));
        QCOMPARE(got[0].payload, QByteArray("hello"));
        QCOMPARE(got[1].payload, QByteArray("ping-1"));
        QCOMPARE(got[4].payload, QByteArray("pong")); // a control frame inside a message
        QCOMPARE(got[5].payload, QByteArray("fragmented"));
        QCOMPARE(got[6].payload, QByteArray(300, 'b'));
        QCOMPARE(got[7].payload.size(), 70000);
        QCOMPARE(got[8].closeCode, 1000);
        QCOMPARE(got[8].payload, QByteArray("bye"));
    }

    void violationsFailWithTheirCode_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("code");
        QTest::newRow("unmasked") << frame(true, 0x1, "{}", false) << 1002;
        QTest::newRow("reserved bit") << frame(true, 0x1, "{}", true, 4) << 1002;
        QTest::newRow("unknown data opcode") << frame(true, 0x3, "x") << 1002;
        QTest::newRow("unknown control opcode") << frame(true, 0xB, "x") << 1002;
        QTest::newRow("fragmented ping") << frame(false, 0x9, "x") << 1002;
        QTest::newRow("long ping") << frame(true, 0x9, QByteArray(126, 'p')) << 1002;
        QTest::newRow("continuation first") << frame(true, 0x0, "x") << 1002;
        QTest::newRow("message inside a message")
            << frame(false, 0x1, "a") + frame(true, 0x1, "b") << 1002;
        QTest::newRow("close code 1005 sent") << frame(true, 0x8, "\x03\xed") << 1002;
        QTest::newRow("close of one byte") << frame(true, 0x8, "\x03") << 1002;
        QTest::newRow("text not UTF-8") << frame(true, 0x1, "\xc3\x28") << 1007;
        QTest::newRow("split text not UTF-8")
            << frame(false, 0x1, "\xe2\x82") + frame(true, 0x0, "\x28") << 1007;
        QTest::newRow("close reason not UTF-8") << frame(true, 0x8, "\x03\xe8\xff") << 1007;
        QTest::newRow("frame over the limit") << frame(true, 0x1, QByteArray(1025, 'x')) << 1009;
        QTest::newRow("message over the limit")
            << frame(false, 0x1, QByteArray(600, 'x')) + frame(true, 0x0, QByteArray(600, 'x'))
            << 1009;
    }

    void violationsFailWithTheirCode()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, code);
        FrameReader r(1024);
        r.append(bytes);
        const QList<IncomingFrame> got = readAll(r);
        QVERIFY(!got.isEmpty());
        QCOMPARE(int(got.last().kind), int(Kind::Failed));
        QCOMPARE(got.last().closeCode, code);
        QVERIFY(!got.last().payload.isEmpty());
        // Failed for good: nothing more is read.
        r.append(frame(true, 0x1, "after"));
        QVERIFY(readAll(r).isEmpty());
    }

    void oversizedFrameFailsBeforeItsPayload()
    {
        FrameReader r(64 * 1024);
        // Only the header of a frame that claims 2^40 bytes.
        QByteArray header;
        header.append(char(0x81));
        header.append(char(0x80 | 127));
        char len[8];
        qToBigEndian(quint64(1) << 40, len);
        header.append(len, 8);
        r.append(header);
        const QList<IncomingFrame> got = readAll(r);
        QCOMPARE(got.size(), 1);
        QCOMPARE(got[0].closeCode, 1009);
    }

    void utf8Validation_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        QTest::newRow("ascii") << QByteArray("plain") << true;
        QTest::newRow("two bytes") << QByteArray("\xc3\xa9") << true;
        QTest::newRow("three bytes") << QByteArray("\xe2\x82\xac") << true;
        QTest::newRow("four bytes") << QByteArray("\xf0\x9f\x98\x80") << true;
        QTest::newRow("max") << QByteArray("\xf4\x8f\xbf\xbf") << true;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
        QTest::newRow("overlong three") << QByteArray("\xe0\x80\xaf") << false;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
        QTest::newRow("past max") << QByteArray("\xf4\x90\x80\x80") << false;
        QTest::newRow("lone continuation") << QByteArray("\x80") << false;
        QTest::newRow("truncated") << QByteArray("\xe2\x82") << false;
        QTest::newRow("five bytes") << QByteArray("\xf8\x88\x80\x80\x80") << false;
    }

    void utf8Validation()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        QCOMPARE(FrameReader::isValidUtf8(bytes.constData(), bytes.size()), valid);
    }
};

QTEST_GUILESS_MAIN(TestFrameReader)
#include "tst_frame_reader.moc"
