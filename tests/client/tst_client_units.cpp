// The client core's pieces on their own (no sockets): backoff bounds, outbox matching,
// the log ring, unread counts and proxy order, merging history pages, typing expiry.
#include "client/backoff.h"
#include "client/client_settings.h"
#include "client/log_model.h"
#include "client/message_list_model.h"
#include "client/outbox.h"
#include "client/outbox_store.h"
#include "client/room_filter_proxy_model.h"
#include "client/room_list_model.h"
#include "client/room_pager.h"
#include "client/settings_store.h"
#include "client/typing_tracker.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace chalk;
using namespace chalk::client;
using namespace std::chrono_literals;

namespace {
protocol::Message message(const QString &room, const QString &body, const QString &user = {})
{
    protocol::Message m;
    m.uuid = protocol::newUuid();
    m.body = body;
    m.roomUuid = room;
    m.user.uuid = user.isEmpty() ? protocol::newUuid() : user;
    m.user.name = QStringLiteral("someone");
    m.created = QDateTime::currentDateTimeUtc();
    return m;
}

QStringList bodies(const MessageListModel &m)
{
    QStringList out;
    for (int i = 0; i < m.rowCount(); ++i)
        out << m.index(i).data(MessageListModel::BodyRole).toString();
    return out;
}
} // namespace

class TestClientUnits : public QObject {
    Q_OBJECT
private slots:
    void backoffDoublesWithJitterWithinBounds()
    {
        Backoff b(1000ms, 30000ms);
        qint64 previousBase = 0;
        for (int i = 0; i < 12; ++i) {
            const qint64 base = std::min<qint64>(30000, 1000LL << i);
            const qint64 d = b.next().count();
            QVERIFY2(d >= std::max<qint64>(1000, base * 8 / 10) &&
                         d <= std::min<qint64>(30000, base * 12 / 10),
                     qPrintable(QStringLiteral("attempt %1: %2 ms").arg(i).arg(d)));
            QVERIFY(base >= previousBase);
            previousBase = base;
        }
        b.reset();
        QVERIFY(b.next().count() <= 1200);
        // Jitter: many delays of the same attempt are not all equal.
        QSet<qint64> seen;
        for (int i = 0; i < 20; ++i) {
            Backoff j(1000ms, 30000ms);
            j.next();
            seen.insert(j.next().count());
        }
        QVERIFY(seen.size() > 1);
    }

    void outboxMatchesByClientIdOrOldestEqualBody()
    {
        Outbox box;
        const QString room = protocol::newUuid();
        const QString me = protocol::newUuid();
        const QString a = box.enqueue(room, QStringLiteral(" hi "));
        const QString b = box.enqueue(room, QStringLiteral("hi"));
        const QString c = box.enqueue(room, QStringLiteral("other"));
        QCOMPARE(box.size(), 3);
        QCOMPARE(box.entry(a)->body, QStringLiteral("hi")); // trimmed, as the server stores it
        QSignalSpy acked(&box, &Outbox::entryAcknowledged);

        // By client_id, in any order.
        protocol::Message m = message(room, QStringLiteral("other"), me);
        m.clientId = c;
        QCOMPARE(box.acknowledge(m, me)->clientId, c);
        QVERIFY(!box.entry(c));
        QCOMPARE(box.acknowledge(m, me).has_value(), false); // a repeated ack is harmless

        // Without client_id: not before it was written to a socket, not from someone else.
        protocol::Message plain = message(room, QStringLiteral("hi"), me);
        QVERIFY(!box.acknowledge(plain, me));
        box.markSent(a);
        box.markSent(b);
        QVERIFY(!box.acknowledge(message(room, QStringLiteral("hi")), me));
        QCOMPARE(box.acknowledge(plain, me)->clientId, a); // oldest first
        QCOMPARE(box.acknowledge(plain, me)->clientId, b);
        QVERIFY(box.isEmpty());
        QCOMPARE(acked.count(), 3);
        QCOMPARE(acked.first().at(0).value<OutboxEntry>().state, DeliveryState::Stored);

        // Link drops: in-flight entries go back to pending.
        const QString d = box.enqueue(room, QStringLiteral("d"));
        box.markSent(d);
        QCOMPARE(box.entry(d)->state, DeliveryState::Sent);
        box.markAllPending();
        QCOMPARE(box.entry(d)->state, DeliveryState::Pending);
        QCOMPARE(box.entry(d)->attempts, 1);
        QSignalSpy failed(&box, &Outbox::entryFailed);
        QVERIFY(box.fail(d, QStringLiteral("data_too_long"), QString()));
        QCOMPARE(failed.count(), 1);
        QVERIFY(box.isEmpty());
    }

    void outboxKeepsBoardLinesAcrossARestart()
    {
        // Strokes drawn offline wait like messages (issue 12) and survive a restart of the app.
        Outbox box;
        const QString room = protocol::newUuid();
        protocol::Line line;
        line.uuid = protocol::newUuid();
        line.points = {10, 20, 30, 40};
        line.color = QStringLiteral("#e02d25");
        line.tool = QStringLiteral("pen");
        line.width = 10;
        box.enqueue(room, QStringLiteral("a message"));
        const QString lineId = box.enqueueLine(room, line);
        // The same line queued again takes the newer points in the same entry.
        line.points << 50 << 60;
        QCOMPARE(box.enqueueLine(room, line), lineId);
        QCOMPARE(box.count(OutboxKind::Line), 1);
        protocol::Line other = line;
        other.uuid = protocol::newUuid();
        box.enqueueLine(room, other);
        // Undo of a line that never left: withdrawn, and nothing to send for it.
        QVERIFY(box.enqueueLineRemoval(room, other.uuid, false).isEmpty());
        QCOMPARE(box.count(OutboxKind::Line), 1);
        QCOMPARE(box.count(OutboxKind::LineRemoval), 0);
        // Undo of a line the server may have: a removal waits.
        const QString removal = box.enqueueLineRemoval(room, protocol::newUuid(), true);
        QVERIFY(!removal.isEmpty());
        QCOMPARE(box.entriesForRoom(room, OutboxKind::Message).size(), 1);

        Outbox restored;
        restored.restore(box.toVariantList());
        QCOMPARE(restored.size(), 3);
        const OutboxEntry e = *restored.entry(lineId);
        QCOMPARE(e.kind, OutboxKind::Line);
        QCOMPARE(e.line.uuid, line.uuid);
        QCOMPARE(e.line.points, line.points);
        QCOMPARE(e.line.color, line.color);
        QCOMPARE(e.line.width, 10.0);
        QCOMPARE(restored.entry(removal)->kind, OutboxKind::LineRemoval);

        // Acknowledged by client_id, or (a server that echoes none) by the line once written.
        QVERIFY(!restored.acknowledgeLine(OutboxKind::Line, QString(), line.uuid));
        restored.markSent(lineId);
        QVERIFY(restored.acknowledgeLine(OutboxKind::Line, QString(), line.uuid));
        QVERIFY(restored.acknowledgeLine(OutboxKind::LineRemoval, removal, QString()));
        QCOMPARE(restored.size(), 1);
        QCOMPARE(restored.entries().first().kind, OutboxKind::Message);
    }

    void logIsARingOfCapacityRows()
    {
        LogModel log(nullptr, 5000);
        const QDateTime t = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < 5003; ++i)
            log.append(ChatClient::Direction::Received, QStringLiteral("result"),
                       QStringLiteral("n%1").arg(i), QStringLiteral("{}"), t);
        QCOMPARE(log.rowCount(), 5000);
        QCOMPARE(log.index(0).data(LogModel::NameRole).toString(), QStringLiteral("n3"));
        QCOMPARE(log.index(4999).data(LogModel::NameRole).toString(), QStringLiteral("n5002"));
        QVERIFY(log.index(0).data().toString().contains(QStringLiteral("<- result n3")));
        QTemporaryDir dir;
        QVERIFY(log.saveToFile(dir.filePath(QStringLiteral("log.txt"))));
        // A huge frame (a drawing) is kept only in part.
        log.append(ChatClient::Direction::Received, QStringLiteral("result"),
                   QStringLiteral("drawing_got"), QString(1 << 20, QLatin1Char('x')), t);
        const QString kept = log.index(4999).data(LogModel::RawRole).toString();
        QVERIFY(kept.size() < LogModel::kMaxRawChars + 100);
        QVERIFY(kept.endsWith(QStringLiteral("(1048576 characters in all)")));
        log.clear();
        QCOMPARE(log.rowCount(), 0);
    }

    void unreadAndOrder()
    {
        RoomListModel rooms;
        const QDateTime t = QDateTime::currentDateTimeUtc();
        QList<protocol::Room> list;
        for (int i = 0; i < 3; ++i) {
            protocol::Room r;
            r.uuid = protocol::newUuid();
            r.name = QStringLiteral("r%1").arg(i);
            r.created = t.addSecs(-i); // listed newest first on purpose
            r.sum = 10;
            list << r;
        }
        rooms.setRooms(list);
        rooms.setCurrentRoom(list[0].uuid);
        RoomFilterProxyModel proxy;
        proxy.setSourceModel(&rooms);
        QCOMPARE(proxy.index(0, 0).data(RoomListModel::NameRole).toString(), QStringLiteral("r2"));
        QCOMPARE(proxy.index(2, 0).data(RoomListModel::NameRole).toString(), QStringLiteral("r0"));
        // Sum grows in the current room and in another one.
        protocol::Room r0 = list[0], r1 = list[1];
        r0.sum = 15;
        r1.sum = 13;
        rooms.upsertRoom(r0);
        rooms.upsertRoom(r1);
        QCOMPARE(rooms.index(0).data(RoomListModel::UnreadRole).toInt(), 0);
        QCOMPARE(rooms.index(1).data(RoomListModel::UnreadRole).toInt(), 3);
        // Relisted after a reconnect with more: the count keeps growing.
        r1.sum = 20;
        rooms.setRooms({r0, r1, list[2]});
        QCOMPARE(rooms.index(1).data(RoomListModel::UnreadRole).toInt(), 10);
        rooms.setCurrentRoom(r1.uuid);
        QCOMPARE(rooms.index(1).data(RoomListModel::UnreadRole).toInt(), 0);
        rooms.removeRoom(r1.uuid);
        QCOMPARE(rooms.rowCount(), 2);
        QVERIFY(rooms.currentRoomUuid().isEmpty());
    }

    void newestPageMergesAfterAReconnect()
    {
        MessageListModel model;
        const QString room = protocol::newUuid();
        model.setRoom(room);
        QList<protocol::Message> all;
        for (int i = 0; i < 10; ++i)
            all << message(room, QStringLiteral("m%1").arg(i));
        model.addPage(all.mid(4, 4), true, {}); // m4..m7 on entering
        QCOMPARE(bodies(model), (QStringList{"m4", "m5", "m6", "m7"}));
        QVERIFY(model.canFetchMore());
        // Re-entered after a reconnect: the newest page overlaps; only the missed ones add.
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.addPage(all.mid(6, 4), true, {});
        QCOMPARE(bodies(model), (QStringList{"m4", "m5", "m6", "m7", "m8", "m9"}));
        QCOMPARE(reset.count(), 0);
        // A stale older page (not before our oldest) is ignored; the right one prepends.
        model.addPage(all.mid(0, 2), false, all[5].uuid);
        QCOMPARE(model.rowCount(), 6);
        model.addPage(all.mid(0, 4), false, all[4].uuid);
        QCOMPARE(bodies(model).first(), QStringLiteral("m0"));
        QCOMPARE(model.rowCount(), 10);
        QVERIFY(!model.canFetchMore());
        // A page of another room is ignored; a gap larger than a page starts afresh.
        model.addPage({message(protocol::newUuid(), QStringLiteral("x"))}, false, {});
        QCOMPARE(model.rowCount(), 10);
        QList<protocol::Message> later;
        for (int i = 0; i < 3; ++i)
            later << message(room, QStringLiteral("late%1").arg(i));
        model.addPage(later, true, {});
        QCOMPARE(bodies(model), (QStringList{"late0", "late1", "late2"}));
        QCOMPARE(reset.count(), 1);
        // Live messages are appended once.
        const protocol::Message live = message(room, QStringLiteral("live"));
        model.addMessage(live);
        model.addMessage(live);
        QCOMPARE(model.rowCount(), 4);
        model.setRoom(protocol::newUuid());
        QCOMPARE(model.rowCount(), 0);
    }

    void refusesAddressesThatAreNotWebSockets()
    {
        ChatClient client(std::make_shared<MemorySettingsStore>());
        QSignalSpy states(&client, &ChatClient::stateChanged);
        client.connectToServer(QUrl(QStringLiteral("http://127.0.0.1:9000")));
        QCOMPARE(client.state(), ChatClient::State::Disconnected);
        QVERIFY(client.stateText().contains(QStringLiteral("ws://")));
        QVERIFY(!client.socket());
        QTest::qWait(100);
        QCOMPARE(client.state(), ChatClient::State::Disconnected); // and no retries
    }

    void settingValuesKeepKeyTypeAndDefaultInOnePlace()
    {
        MemorySettingsStore store;
        const SettingValue<int> count{"test/count", 7};
        QCOMPARE(count.get(store), 7); // unset: the default
        count.set(store, 3);
        QCOMPARE(count.get(store), 3);
        QCOMPARE(store.value(QStringLiteral("test/count")).toInt(), 3);     // under its key
        store.setValue(QStringLiteral("test/count"), QStringLiteral("12")); // as INI gives it
        QCOMPARE(count.get(store), 12);
        store.setValue(QStringLiteral("test/count"), QStringLiteral("many")); // hand-edited
        QCOMPARE(count.get(store), 7);
        count.remove(store);
        QVERIFY(!store.value(QStringLiteral("test/count")).isValid());
        QCOMPARE(count.get(store), 7);
    }

    void outboxIsStoredStructuredInQSettings()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ChalkroomTest"));
        QCoreApplication::setApplicationName(QStringLiteral("chalkroom-client-units"));
        QSettings().clear();
        const QString origin = QStringLiteral("ws://127.0.0.1");
        const QString room = protocol::newUuid();
        Outbox box;
        box.enqueue(room, QStringLiteral("first"));
        box.enqueue(room, QStringLiteral("second, with \"quotes\" and, commas"));
        box.markSent(box.entries().first().clientId);
        {
            auto settings = std::make_shared<QSettingsStore>();
            OutboxStore(settings).save(box, origin);
        }
        QSettings().sync();
        QCOMPARE(QSettings().value(settings::outboxEntries.key()).typeId(),
                 QMetaType::QVariantList); // a list of maps, not JSON in a string

        Outbox restored;
        OutboxStore store(std::make_shared<QSettingsStore>());
        store.load(restored, QStringLiteral("ws://elsewhere")); // another server: not for it
        QVERIFY(restored.isEmpty());
        store.load(restored, origin);
        QCOMPARE(restored.size(), 2);
        for (int i = 0; i < 2; ++i) {
            const OutboxEntry &a = box.entries().at(i);
            const OutboxEntry &b = restored.entries().at(i);
            QCOMPARE(b.clientId, a.clientId);
            QCOMPARE(b.body, a.body);
            QCOMPARE(b.roomUuid, a.roomUuid);
            QCOMPARE(b.queued, a.queued);
            QCOMPARE(b.attempts, a.attempts);
            QCOMPARE(b.state, DeliveryState::Pending);
        }
        OutboxStore(std::make_shared<QSettingsStore>()).save(Outbox(), origin);
        QVERIFY(!QSettings().contains(settings::outboxEntries.key()));
        QVERIFY(!QSettings().contains(settings::outboxServer.key()));
    }

    void outboxSavedAsJsonTextIsMigratedOnce()
    {
        // What ChatClient wrote before issue 9: a JSON array inside a string.
        auto settings = std::make_shared<MemorySettingsStore>();
        const QString origin = QStringLiteral("ws://127.0.0.1");
        const QString room = protocol::newUuid();
        const QString clientId = protocol::newUuid();
        const QJsonArray old{
            QJsonObject{{QStringLiteral("client_id"), clientId},
                        {QStringLiteral("body"), QStringLiteral("from before")},
                        {QStringLiteral("room_uuid"), room},
                        {QStringLiteral("queued"), QStringLiteral("2026-11-20T10:00:00.000Z")},
                        {QStringLiteral("attempts"), 2}}};
        settings->setValue(QStringLiteral("outbox/entries"),
                           QString::fromUtf8(QJsonDocument(old).toJson(QJsonDocument::Compact)));
        settings->setValue(QStringLiteral("outbox/server"), origin);

        OutboxStore store(settings);
        Outbox box;
        store.load(box, origin);
        QCOMPARE(box.size(), 1);
        const OutboxEntry e = box.entries().first();
        QCOMPARE(e.clientId, clientId);
        QCOMPARE(e.body, QStringLiteral("from before"));
        QCOMPARE(e.roomUuid, room);
        QCOMPARE(e.queued, QDateTime(QDate(2026, 11, 20), QTime(10, 0), Qt::UTC));
        QCOMPARE(e.attempts, 2);
        // Written back structured at once: the next start reads the new form.
        const QVariant now = settings->value(QStringLiteral("outbox/entries"));
        QCOMPARE(now.typeId(), QMetaType::QVariantList);
        Outbox again;
        store.load(again, origin);
        QCOMPARE(again.size(), 1);
        QCOMPARE(again.entries().first().clientId, clientId);
        QCOMPARE(again.entries().first().queued, e.queued);
    }

    void typingExpires()
    {
        TypingTracker t(nullptr, 200ms);
        protocol::User u{protocol::newUuid(), QStringLiteral("ann"), {}};
        protocol::User v{protocol::newUuid(), QStringLiteral("bob"), {}};
        t.noteTyping(u);
        t.noteTyping(v);
        QCOMPARE(t.names(), (QStringList{"ann", "bob"}));
        QCOMPARE(t.text(), QStringLiteral("ann and bob are typing…"));
        QTRY_VERIFY_WITH_TIMEOUT(t.names().isEmpty(), 5000);
        QVERIFY(t.text().isEmpty());
    }

    void roomPagesComeTogether()
    {
        using protocol::Room;
        using protocol::RoomListPayload;
        const auto room = [](const QString &uuid, const QString &name = {}) {
            Room r;
            r.uuid = uuid;
            r.name = name.isEmpty() ? uuid : name;
            return r;
        };
        const auto names = [](const QList<Room> &rooms) {
            QStringList n;
            for (const Room &r : rooms)
                n << r.name;
            return n;
        };
        RoomPager pager;
        // One page without has_more (socket_chat's answer): done at once.
        QCOMPARE(pager.take({{room("a")}, false, {}}), RoomPager::Step::Done);
        QCOMPARE(names(pager.takeRooms()), QStringList{"a"});

        QCOMPARE(pager.take({{room("a"), room("b"), room("c")}, true, {}}), RoomPager::Step::More);
        QCOMPARE(pager.nextAfter(), QStringLiteral("c"));
        // Meanwhile: b deleted, c (the cursor) renamed, a page of another listing arrives.
        pager.roomDeleted("b");
        pager.roomChanged(room("c", "c2"));
        QCOMPARE(pager.take({{room("x")}, false, QStringLiteral("zz")}), RoomPager::Step::Ignored);
        QCOMPARE(pager.nextAfter(), QStringLiteral("c")); // the server's cursor, still
        // The next page repeats a room (changed between pages): the newer copy wins.
        QCOMPARE(pager.take({{room("a", "a2"), room("d")}, false, QStringLiteral("c")}),
                 RoomPager::Step::Done);
        QCOMPARE(names(pager.takeRooms()), (QStringList{"c2", "a2", "d"}));
        QVERIFY(!pager.isListing());

        // The cursor's room deleted: the rooms collected stay until the listing restarts.
        QCOMPARE(pager.take({{room("a"), room("b")}, true, {}}), RoomPager::Step::More);
        pager.roomDeleted("b");
        QCOMPARE(pager.nextAfter(), QStringLiteral("b"));
        pager.clear();
        QVERIFY(!pager.isListing());
        QCOMPARE(pager.take({{room("a")}, false, QStringLiteral("b")}), RoomPager::Step::Ignored);

        // A server that says has_more for ever is not followed past kMaxRooms.
        QList<Room> many;
        for (int i = 0; i < RoomPager::kMaxRooms; ++i)
            many << room(QString::number(i));
        QCOMPARE(pager.take({many, true, {}}), RoomPager::Step::Done);
        QCOMPARE(pager.takeRooms().size(), RoomPager::kMaxRooms);
    }
};

QTEST_GUILESS_MAIN(TestClientUnits)
#include "tst_client_units.moc"
