// Presence over real sockets (docs/PROTOCOL.md, "Presence"): a user is online while any of its
// devices is connected; presence_changed is coalesced (one frame for many changes) and bounded
// (only those sharing a room or a direct conversation hear of it); list_users pages through
// every user in name order, matching names regardless of case and accents, with its cap.
#include "server_steps.h"
#include "test_server.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>
#include <memory>

using namespace chalk;
using namespace chalk::test;

namespace {

// The presence entries `c` received about `userUuid`, in order.
QList<QJsonObject> presenceOf(const TestClient &c, const QString &userUuid)
{
    QList<QJsonObject> out;
    for (const Statement &s : c.all("presence_changed"))
        for (const QJsonValue &v : s.payload.value("users").toArray())
            if (v.toObject().value("uuid").toString() == userUuid)
                out << v.toObject();
    return out;
}

// Waits until `c` heard that `userUuid` is `online` (its latest entry says so).
bool waitPresence(TestClient &c, const QString &userUuid, bool online)
{
    return QTest::qWaitFor(
        [&] {
            const auto entries = presenceOf(c, userUuid);
            return !entries.isEmpty() && entries.last().value("online").toBool() == online;
        },
        TestClient::kTimeout);
}

// A round trip: everything the server wrote to `c` before it answers has arrived.
bool sync(TestClient &c)
{
    return answerName(c.request("list_rooms")) == QLatin1String("rooms_listed");
}

server::ServerOptions fastPresence(int intervalMs = 50)
{
    server::ServerOptions options = withoutRateLimits();
    options.presenceIntervalMs = intervalMs;
    return options;
}

} // namespace

class TestServerPresence : public QObject {
    Q_OBJECT

    TestServer m_server;

private slots:
    void cleanup() { m_server.stop(); }

    void aSecondDeviceKeepsTheUserOnline()
    {
        QVERIFY(m_server.start(fastPresence()));
        TestClient watcher, first, second;
        const QString room = openAndEnter(watcher, m_server.url());
        QVERIFY(!room.isEmpty());
        QCOMPARE(openAndEnter(first, m_server.url(), room), room);
        const QString uuid = first.userUuid();
        // The same user on a second device (it resumes into the same room).
        QVERIFY(second.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(second.request("resume", {{"token", first.token()}})),
                 QStringLiteral("resumed"));
        QVERIFY(second.waitFor("drawing_got")); // back in the room (one user, two devices)
        first.close();
        // The server saw the first device go (watcher, second), and flushed what changed.
        QTRY_COMPARE_WITH_TIMEOUT(m_server.server->sessionCount(), 2, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_server.server->pendingPresenceChanges(), 0, 10000);
        QVERIFY(sync(watcher));
        // Its being there is in room_changed; its going, while a device stays, is nowhere.
        QCOMPARE(presenceOf(watcher, uuid).size(), 0);
        // list_users agrees.
        const auto listed = watcher.request("list_users", {{"query", first.user().value("name")}});
        QCOMPARE(answerName(listed), QStringLiteral("users_listed"));
        const QJsonArray list = listed->payload.value("list").toArray();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.first().toObject().value("online").toBool(), true);
        // The last device leaves: offline, with when.
        const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
        second.close();
        QVERIFY(waitPresence(watcher, uuid, false));
        const QJsonObject gone = presenceOf(watcher, uuid).last();
        const QDateTime seen =
            QDateTime::fromString(gone.value("last_seen").toString(), Qt::ISODateWithMs);
        QVERIFY2(seen.isValid(), qPrintable(gone.value("last_seen").toString()));
        QVERIFY(seen >= before);
        QVERIFY(seen <= QDateTime::currentDateTimeUtc());
        const auto after = watcher.request("list_users", {{"query", first.user().value("name")}});
        QCOMPARE(answerName(after), QStringLiteral("users_listed"));
        const QJsonObject offline = after->payload.value("list").toArray().first().toObject();
        QCOMPARE(offline.value("online").toBool(), false);
        QCOMPARE(offline.value("last_seen").toString(), gone.value("last_seen").toString());
    }

    void manyChangesWithinAnIntervalGoInOneFrame()
    {
        // A long interval: the twenty leave well within one.
        QVERIFY(m_server.start(fastPresence(2000)));
        TestClient watcher;
        const QString room = openAndEnter(watcher, m_server.url());
        QVERIFY(!room.isEmpty());
        constexpr int kUsers = 20;
        std::vector<std::unique_ptr<TestClient>> users;
        QSet<QString> uuids;
        for (int i = 0; i < kUsers; ++i) {
            users.push_back(std::make_unique<TestClient>());
            QCOMPARE(openAndEnter(*users.back(), m_server.url(), room), room);
            uuids.insert(users.back()->userUuid());
        }
        QVERIFY(waitForMembers(watcher, kUsers + 1));
        // Their coming online flushed (told to nobody: the room sees them in room_changed).
        QTRY_COMPARE_WITH_TIMEOUT(m_server.server->pendingPresenceChanges(), 0, 10000);
        const int framesBefore = watcher.count("presence_changed");
        // One after the other, each seen by the server before the next (so in turns of its
        // event loop of their own), all well within one interval.
        int sessions = m_server.server->sessionCount();
        for (auto &u : users) {
            u->socket().close();
            --sessions;
            QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == sessions; },
                                    TestClient::kTimeout));
        }
        for (const QString &u : uuids)
            QVERIFY(waitPresence(watcher, u, false));
        // The frames that told of their leaving (earlier ones may still tell of their coming).
        QList<Statement> frames;
        int entries = 0;
        for (const Statement &f : watcher.all("presence_changed").mid(framesBefore)) {
            int offline = 0;
            for (const QJsonValue &v : f.payload.value("users").toArray())
                offline += uuids.contains(v.toObject().value("uuid").toString()) &&
                                   !v.toObject().value("online").toBool()
                               ? 1
                               : 0;
            if (offline > 0)
                frames << f;
            entries += offline;
        }
        QCOMPARE(entries, kUsers); // each change once
        QVERIFY2(frames.size() < kUsers, qPrintable(QString::number(frames.size())));
        QVERIFY(frames.first().payload.value("users").toArray().size() > 1);
    }

    void nobodyOutsideHearsOfIt()
    {
        QVERIFY(m_server.start(fastPresence()));
        TestClient mover, roommate, stranger, partner, elsewhere;
        const QString room = openAndEnter(mover, m_server.url());
        QVERIFY(!room.isEmpty());
        QCOMPARE(openAndEnter(roommate, m_server.url(), room), room);
        // The stranger is in another room; the partner shares a direct conversation only.
        QVERIFY(!openAndEnter(stranger, m_server.url()).isEmpty());
        QVERIFY(partner.openAndWelcome(m_server.url()));
        QVERIFY(!openAndEnter(elsewhere, m_server.url()).isEmpty());
        QCOMPARE(answerName(partner.request("open_direct", {{"user_uuid", mover.userUuid()}})),
                 QStringLiteral("room_entered"));
        QCOMPARE(answerName(partner.request("leave_room")), QStringLiteral("room_left"));
        const QString uuid = mover.userUuid();
        mover.close();
        QVERIFY(waitPresence(roommate, uuid, false));
        QVERIFY(waitPresence(partner, uuid, false));
        // Written in the same flush as the roommate's: a round trip brings anything it got.
        QVERIFY(sync(stranger));
        QVERIFY(sync(elsewhere));
        QCOMPARE(presenceOf(stranger, uuid).size(), 0);
        QCOMPARE(presenceOf(elsewhere, uuid).size(), 0);
        for (const Statement &s : stranger.all("presence_changed"))
            QVERIFY2(!s.text.contains(uuid), qPrintable(s.text));
    }

    void aDirectPartnerHearsOfComingAndGoing()
    {
        QVERIFY(m_server.start(fastPresence()));
        TestClient ann, bob, roommate;
        QVERIFY(ann.openAndWelcome(m_server.url()));
        const QString room = openAndEnter(bob, m_server.url());
        QVERIFY(!room.isEmpty());
        QCOMPARE(openAndEnter(roommate, m_server.url(), room), room);
        QCOMPARE(answerName(ann.request("open_direct", {{"user_uuid", bob.userUuid()}})),
                 QStringLiteral("room_entered"));
        QCOMPARE(answerName(ann.request("leave_room")), QStringLiteral("room_left"));
        const QString uuid = bob.userUuid();
        const QString token = bob.token();
        bob.close();
        QVERIFY(waitPresence(ann, uuid, false));
        QVERIFY(waitPresence(roommate, uuid, false));
        // Back on a new device, into its room: the partner is told; the room sees it there.
        TestClient again;
        QVERIFY(again.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(again.request("resume", {{"token", token}})),
                 QStringLiteral("resumed"));
        QVERIFY(waitPresence(ann, uuid, true));
        QVERIFY(!presenceOf(ann, uuid).last().contains("last_seen"));
        QVERIFY(waitForMembers(roommate, 2));
        QTRY_COMPARE_WITH_TIMEOUT(m_server.server->pendingPresenceChanges(), 0, 10000);
        QVERIFY(sync(roommate));
        QCOMPARE(presenceOf(roommate, uuid).size(), 1); // only its going
    }

    void aNewDeviceLearnsItsPartnersAsTheyAre()
    {
        QVERIFY(m_server.start(fastPresence()));
        TestClient ann, bob, cid, dan;
        for (TestClient *c : {&ann, &bob, &cid, &dan})
            QVERIFY(c->openAndWelcome(m_server.url()));
        for (TestClient *partner : {&bob, &cid})
            QCOMPARE(answerName(ann.request("open_direct", {{"user_uuid", partner->userUuid()}})),
                     QStringLiteral("room_entered"));
        // Partners from now on: each is told the other's state.
        QVERIFY(waitPresence(ann, bob.userUuid(), true));
        QVERIFY(waitPresence(bob, ann.userUuid(), true));
        QVERIFY(waitPresence(cid, ann.userUuid(), true));
        QCOMPARE(presenceOf(dan, ann.userUuid()).size(), 0);
        const QString bobUuid = bob.userUuid();
        bob.close();
        QVERIFY(waitPresence(ann, bobUuid, false));
        const QString bobSeen = presenceOf(ann, bobUuid).last().value("last_seen").toString();
        QVERIFY(!bobSeen.isEmpty());
        // Ann on a new device: one presence_changed of both partners, as they are now, with
        // no change to wait for.
        TestClient again;
        QVERIFY(again.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(again.request("resume", {{"token", ann.token()}})),
                 QStringLiteral("resumed"));
        QVERIFY(again.waitFor("presence_changed"));
        const QList<QJsonObject> bobNow = presenceOf(again, bobUuid);
        QCOMPARE(bobNow.size(), 1);
        QCOMPARE(bobNow.first().value("online").toBool(), false);
        QCOMPARE(bobNow.first().value("last_seen").toString(), bobSeen); // from storage
        const QList<QJsonObject> cidNow = presenceOf(again, cid.userUuid());
        QCOMPARE(cidNow.size(), 1);
        QCOMPARE(cidNow.first().value("online").toBool(), true);
        QVERIFY(!cidNow.first().contains("last_seen"));
        QCOMPARE(again.all("presence_changed").first().payload.value("users").toArray().size(), 2);
        // A user without direct conversations is told nothing.
        TestClient dan2;
        QVERIFY(dan2.openAndWelcome(m_server.url()));
        QCOMPARE(answerName(dan2.request("resume", {{"token", dan.token()}})),
                 QStringLiteral("resumed"));
        QTRY_COMPARE_WITH_TIMEOUT(m_server.server->pendingPresenceChanges(), 0, 10000);
        QVERIFY(sync(dan2));
        QCOMPARE(dan2.all("presence_changed").size(), 0);
    }

    void listUsersPagesThroughEveryoneWithinTheCap()
    {
        // 250 users from one address: above the per-address connection cap (docs/SECURITY.md).
        server::ServerOptions options = fastPresence();
        options.maxConnectionsPerAddress = 0;
        QVERIFY(m_server.start(options));
        constexpr int kUsers = 250;
        std::vector<std::unique_ptr<TestClient>> users;
        QSet<QString> expected;
        for (int i = 0; i < kUsers; ++i) {
            users.push_back(std::make_unique<TestClient>());
            TestClient &c = *users.back();
            QVERIFY(c.openAndWelcome(m_server.url()));
            const QString name = QStringLiteral("Pager-%1").arg(i, 3, 10, QLatin1Char('0'));
            QCOMPARE(answerName(c.request("change_user_name", {{"name", name}})),
                     QStringLiteral("user_changed"));
            expected.insert(c.userUuid());
            if (i % 2)
                c.close(); // offline ones are listed as well
        }
        TestClient lister;
        QVERIFY(lister.openAndWelcome(m_server.url()));
        // The server has seen every close, and stored the last one's last_seen.
        QTRY_COMPARE_WITH_TIMEOUT(m_server.server->sessionCount(), kUsers / 2 + 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto last = lister.request("list_users", {{"query", "Pager-249"}});
                return last && last->payload.value("list").toArray().size() == 1 &&
                       last->payload.value("list")[0].toObject().value("last_seen").isString();
            }(),
            20000);
        // A limit above the cap is clamped to it.
        const auto big = lister.request("list_users", {{"query", "pager"}, {"limit", 1000}});
        QCOMPARE(answerName(big), QStringLiteral("users_listed"));
        QCOMPARE(big->payload.value("list").toArray().size(), 100);
        QCOMPARE(big->payload.value("has_more").toBool(), true);

        QStringList seen;
        QString after;
        int pages = 0;
        for (bool more = true; more; ++pages) {
            QVERIFY(pages < 10);
            QJsonObject args{{"query", "PAGER"}, {"limit", 40}};
            if (!after.isEmpty())
                args.insert("after", after);
            const auto page = lister.request("list_users", args);
            QCOMPARE(answerName(page), QStringLiteral("users_listed"));
            const QJsonArray list = page->payload.value("list").toArray();
            QVERIFY(list.size() <= 40);
            for (const QJsonValue &v : list) {
                const QJsonObject u = v.toObject();
                seen << u.value("uuid").toString();
                const int index = u.value("name").toString().mid(6).toInt();
                QCOMPARE(u.value("online").toBool(), index % 2 == 0);
                QCOMPARE(u.value("last_seen").isString(), index % 2 == 1);
                QCOMPARE(u.value("registered").toBool(), false);
                QVERIFY(!u.contains("room_uuid"));
            }
            more = page->payload.value("has_more").toBool();
            if (!list.isEmpty())
                after = list.last().toObject().value("uuid").toString();
        }
        QCOMPARE(pages, 7); // 40 * 6 + 10
        QCOMPARE(seen.size(), kUsers);
        QCOMPARE(QSet<QString>(seen.cbegin(), seen.cend()), expected); // no gap, no duplicate
        // In name order (Pager-000, Pager-001, ...).
        QStringList names;
        const auto all = lister.request("list_users", {{"query", "pager-00"}});
        for (const QJsonValue &v : all->payload.value("list").toArray())
            names << v.toObject().value("name").toString();
        QCOMPARE(names,
                 QStringList({"Pager-000", "Pager-001", "Pager-002", "Pager-003", "Pager-004",
                              "Pager-005", "Pager-006", "Pager-007", "Pager-008", "Pager-009"}));
        // A cursor that names nobody is an error, not an empty page.
        QCOMPARE(answerName(lister.request("list_users",
                                           {{"after", "00000000-0000-4000-8000-000000000000"}})),
                 QStringLiteral("no_such_user"));
        QCOMPARE(answerName(lister.request("list_users", {{"limit", 0}})),
                 QStringLiteral("bad_data"));
        QCOMPARE(answerName(lister.request("list_users", {{"query", QString(65, 'x')}})),
                 QStringLiteral("data_too_long"));
    }

    void listUsersIgnoresCaseAndAccents()
    {
        QVERIFY(m_server.start(fastPresence()));
        TestClient zoe, upper, other, lister;
        for (auto [c, name] : {std::pair{&zoe, "Zoë Ølund"}, std::pair{&upper, "ZOE Smith"},
                               std::pair{&other, "Zed"}}) {
            QVERIFY(c->openAndWelcome(m_server.url()));
            QCOMPARE(answerName(c->request("change_user_name", {{"name", name}})),
                     QStringLiteral("user_changed"));
        }
        QVERIFY(lister.openAndWelcome(m_server.url()));
        for (const char *query : {"zoe", "ZOË", "zoé"}) {
            const auto found = lister.request("list_users", {{"query", query}});
            QCOMPARE(answerName(found), QStringLiteral("users_listed"));
            QSet<QString> uuids;
            for (const QJsonValue &v : found->payload.value("list").toArray())
                uuids << v.toObject().value("uuid").toString();
            QCOMPARE(uuids, QSet<QString>({zoe.userUuid(), upper.userUuid()}));
        }
        // Text, not a pattern.
        const auto pattern = lister.request("list_users", {{"query", "%"}});
        QCOMPARE(answerName(pattern), QStringLiteral("users_listed"));
        QCOMPARE(pattern->payload.value("list").toArray().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServerPresence)
#include "tst_server_presence.moc"
