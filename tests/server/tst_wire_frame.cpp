// WireFrame: the bytes the server writes for a statement are valid RFC 6455 server frames
// (header per length class, no mask, text then continuation frames, FIN on the last only).
#include "server/wire_frame.h"

#include <QStringDecoder>
#include <QTest>
#include <QtEndian>

using chalk::server::WireFrame;

namespace {

struct Parsed {
    QList<quint8> opcodes;
    QList<bool> fins;
    QByteArray payload;
    QList<QByteArray> fragments; // each frame's payload
    bool ok = true;
};

Parsed parse(const QByteArray &wire)
{
    Parsed p;
    qsizetype at = 0;
    const auto *d = reinterpret_cast<const uchar *>(wire.constData());
    while (at < wire.size()) {
        if (wire.size() - at < 2)
            return Parsed{.ok = false};
        p.fins.append(d[at] & 0x80);
        p.opcodes.append(d[at] & 0x0F);
        if (d[at] & 0x70 || d[at + 1] & 0x80) // reserved bits, mask bit
            return Parsed{.ok = false};
        quint64 len = d[at + 1] & 0x7F;
        at += 2;
        if (len == 126) {
            len = qFromBigEndian<quint16>(d + at);
            at += 2;
            if (len < 126)
                return Parsed{.ok = false}; // not the shortest form
        } else if (len == 127) {
            len = qFromBigEndian<quint64>(d + at);
            at += 8;
            if (len <= 0xFFFF)
                return Parsed{.ok = false};
        }
        if (quint64(wire.size() - at) < len)
            return Parsed{.ok = false};
        p.payload.append(wire.constData() + at, qsizetype(len));
        p.fragments.append(wire.mid(at, qsizetype(len)));
        at += qsizetype(len);
    }
    return p;
}

} // namespace

class TestWireFrame : public QObject {
    Q_OBJECT
private slots:
    void lengths_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("frames");
        for (int size : {0, 1, 125, 126, 127, 65535, 65536, 70000})
            QTest::addRow("%d bytes", size) << size << 1;
        const int max = int(WireFrame::maxFramePayload);
        QTest::addRow("one full frame") << max << 1;
        QTest::addRow("one byte more") << max + 1 << 2;
        QTest::addRow("three frames") << 2 * max + 10 << 3;
    }
    void lengths()
    {
        QFETCH(int, size);
        QFETCH(int, frames);
        QByteArray payload(size, Qt::Uninitialized);
        for (int i = 0; i < size; ++i)
            payload[i] = char('a' + i % 26);
        const WireFrame f(payload);
        QCOMPARE(f.payload, payload);
        const Parsed p = parse(f.wire);
        QVERIFY(p.ok);
        QCOMPARE(p.payload, payload);
        QCOMPARE(p.opcodes.size(), frames);
        QCOMPARE(p.opcodes.first(), quint8(0x1)); // text
        for (qsizetype i = 1; i < p.opcodes.size(); ++i)
            QCOMPARE(p.opcodes[i], quint8(0x0)); // continuation
        for (qsizetype i = 0; i < p.fins.size(); ++i)
            QCOMPARE(p.fins[i], i == p.fins.size() - 1);
    }
    void fragmentsEndBetweenCharacters()
    {
        // QWebSocket closes with 1007 when one fragment ends inside a character, so every
        // fragment must be valid UTF-8 by itself (seen with a 2.6 MB rooms_listed of CJK names).
        const int max = int(WireFrame::maxFramePayload);
        for (const QString &filler : {QStringLiteral("漢"), QStringLiteral("é"),
                                      QStringLiteral("😀"), QStringLiteral("a漢😀")}) {
            QByteArray payload =
                QString(filler).repeated(3 * max / filler.toUtf8().size()).toUtf8();
            payload.prepend("x"); // move the boundaries off the characters' own alignment
            const WireFrame f(payload);
            const Parsed p = parse(f.wire);
            QVERIFY(p.ok);
            QCOMPARE(p.payload, payload);
            QVERIFY(p.opcodes.size() >= 3);
            for (const QByteArray &fragment : p.fragments) {
                QVERIFY(fragment.size() <= max);
                QStringDecoder strict(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
                const QString decoded = strict(fragment);
                QVERIFY2(!strict.hasError(), qPrintable(filler));
            }
        }
    }
    void headerBytes()
    {
        QCOMPARE(WireFrame("hi").wire, QByteArray("\x81\x02hi", 4));
        const WireFrame mid(QByteArray(300, 'x'));
        QCOMPARE(mid.wire.left(4), QByteArray("\x81\x7e\x01\x2c", 4));
        const WireFrame big(QByteArray(70000, 'x'));
        QCOMPARE(big.wire.left(10), QByteArray("\x81\x7f\x00\x00\x00\x00\x00\x01\x11\x70", 10));
    }
};

QTEST_GUILESS_MAIN(TestWireFrame)
#include "tst_wire_frame.moc"
