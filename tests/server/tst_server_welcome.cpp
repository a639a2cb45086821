// The welcome is never backlog (issue 14): a server holding the most rooms it allows, each
// with the longest name, still greets every new client (user_created and the first page of
// rooms_listed are answers, and the list is paged), and list_rooms pages through the rest in
// creation order. Over real sockets, with the server's default limits.
#include "server/storage/memory_storage.h"
#include "server_steps.h"
#include "test_server.h"

#include <QCoroTask>
#include <QJsonArray>
#include <QTest>
#include <QUuid>

using namespace chalk;
using namespace chalk::test;

namespace {

// `count` rooms named with `name` (64 CJK characters: 192 bytes of UTF-8 each), in order.
std::unique_ptr<server::Storage> storageWithRooms(int count, QStringList &uuids,
                                                  const QString &name)
{
    auto storage = std::make_unique<server::MemoryStorage>();
    if (!QCoro::waitFor(storage->open()))
        return nullptr;
    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-1);
    for (int i = 0; i < count; ++i) {
        protocol::Room room;
        room.uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        room.name = name;
        room.color = QStringLiteral("#336699");
        room.created = start.addMSecs(i);
        if (!QCoro::waitFor(storage->createRoom(room)))
            return nullptr;
        uuids << room.uuid;
    }
    return storage;
}

QStringList uuidsOf(const Statement &listed)
{
    QStringList uuids;
    for (const QJsonValue &room : listed.payload.value("list").toArray())
        uuids << room.toObject().value("uuid").toString();
    return uuids;
}

// The rest of the list after `first`, asked page by page; empty on a failed step.
QStringList pageThrough(TestClient &c, const Statement &first, int limit, int *pages = nullptr)
{
    QStringList all = uuidsOf(first);
    bool more = first.payload.value("has_more").toBool();
    while (more && !all.isEmpty()) {
        const auto page = c.request("list_rooms", {{"after", all.last()}, {"limit", limit}});
        if (!page || page->name != QLatin1String("rooms_listed") ||
            page->payload.value("after").toString() != all.last())
            return {};
        all << uuidsOf(*page);
        more = page->payload.value("has_more").toBool();
        if (pages)
            ++*pages;
    }
    return all;
}

} // namespace

class TestServerWelcome : public QObject {
    Q_OBJECT
    TestServer m_server;

private slots:
    void cleanup() { m_server.stop(); }

    void aFullServerOfLongestNamesGreetsEveryone()
    {
        const server::ServerOptions defaults;
        const protocol::Limits &limits = defaults.limits;
        QStringList seeded;
        const QString longest(limits.roomName, QChar(0x6F22)); // 漢
        auto storage = storageWithRooms(defaults.maxRooms, seeded, longest);
        QVERIFY(storage);
        QVERIFY2(m_server.start(defaults, std::move(storage)),
                 qPrintable(m_server.server->errorString()));

        // Several newcomers at once: each is greeted, none is cut off for the list's size.
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < 4; ++i) {
            clients.push_back(std::make_unique<TestClient>());
            QVERIFY(clients.back()->open(m_server.url()));
        }
        for (auto &c : clients) {
            QVERIFY(c->waitFor("user_created"));
            const auto first = c->waitFor("rooms_listed");
            QVERIFY(first);
            QVERIFY(c->isConnected());
            QVERIFY(first->payload.value("has_more").toBool());
            QCOMPARE(uuidsOf(*first).size(), limits.roomPageDefault);
            QVERIFY(first->text.toUtf8().size() <= limits.roomPageBytes + 4096);
            QVERIFY(first->payload.value("after").isUndefined());
        }
        // One pages through all of it, in creation order, each page within its budget.
        int pages = 0;
        TestClient &c = *clients.front();
        const QStringList all =
            pageThrough(c, c.all("rooms_listed").first(), limits.roomPageMax, &pages);
        QCOMPARE(all.size(), seeded.size());
        QCOMPARE(all, seeded);
        QVERIFY(pages >= (defaults.maxRooms - limits.roomPageDefault) / limits.roomPageMax);
        for (const Statement &page : c.all("rooms_listed"))
            QVERIFY(page.text.toUtf8().size() <= limits.roomPageBytes + 4096);
        // The original's list_rooms (no arguments) still answers every room at once.
        const auto whole = c.request("list_rooms", {}, 30000);
        QVERIFY2(whole, qPrintable(QStringLiteral("closed with %1").arg(c.closeCode())));
        QCOMPARE(uuidsOf(*whole), seeded);
        QVERIFY(!whole->payload.contains("has_more"));
        QVERIFY(c.isConnected());
    }

    void pagesFollowTheCursor()
    {
        QVERIFY(m_server.start());
        TestClient c;
        QVERIFY(c.openAndWelcome(m_server.url()));
        QStringList rooms;
        for (int i = 0; i < 5; ++i)
            rooms << createRoom(c, {{"name", QStringLiteral("r%1").arg(i)}});
        auto page = c.request("list_rooms", {{"limit", 2}});
        QVERIFY(page);
        QCOMPARE(uuidsOf(*page), rooms.mid(0, 2));
        QVERIFY(page->payload.value("has_more").toBool());
        page = c.request("list_rooms", {{"after", rooms[1]}, {"limit", 2}});
        QCOMPARE(uuidsOf(*page), rooms.mid(2, 2));
        QCOMPARE(page->payload.value("after").toString(), rooms[1]);
        QVERIFY(page->payload.value("has_more").toBool());
        page = c.request("list_rooms", {{"after", rooms[3]}}); // the default page size
        QCOMPARE(uuidsOf(*page), rooms.mid(4));
        QCOMPARE(page->payload.value("has_more").toBool(true), false);
        page = c.request("list_rooms", {{"after", rooms[4]}});
        QVERIFY(uuidsOf(*page).isEmpty());
        QCOMPARE(page->payload.value("has_more").toBool(true), false);

        // A cursor that names no room, a limit that is no page size: clear errors.
        const auto gone = c.request(
            "list_rooms", {{"after", QUuid::createUuid().toString(QUuid::WithoutBraces)}});
        QCOMPARE(answerName(gone), QStringLiteral("no_specified_room"));
        QCOMPARE(gone->payload.value("field").toString(), QStringLiteral("after"));
        QCOMPARE(answerName(c.request("list_rooms", {{"limit", 0}})), QStringLiteral("bad_data"));
        const auto clamped = c.request("list_rooms", {{"limit", 100000}});
        QCOMPARE(uuidsOf(*clamped), rooms);
    }

    void othersDirectRoomIsNoCursor()
    {
        QVERIFY(m_server.start());
        TestClient a, b, stranger;
        QVERIFY(a.openAndWelcome(m_server.url()));
        QVERIFY(b.openAndWelcome(m_server.url()));
        QVERIFY(stranger.openAndWelcome(m_server.url()));
        const auto direct = a.request("open_direct", {{"user_uuid", b.userUuid()}});
        QVERIFY(direct);
        const QString room = direct->object().value("uuid").toString();
        QVERIFY(!room.isEmpty());
        // Its members may page after it; to anyone else it does not exist.
        QCOMPARE(answerName(a.request("list_rooms", {{"after", room}})),
                 QStringLiteral("rooms_listed"));
        QCOMPARE(answerName(stranger.request("list_rooms", {{"after", room}})),
                 QStringLiteral("no_specified_room"));
    }

    void aPageEndsPastItsByteBudget()
    {
        server::ServerOptions options;
        options.limits.roomPageBytes = 1000; // a few rooms of ~150 bytes
        options.maxRooms = 100;
        QVERIFY(m_server.start(options));
        TestClient c;
        QVERIFY(c.openAndWelcome(m_server.url()));
        QStringList rooms;
        for (int i = 0; i < 30; ++i)
            rooms << createRoom(c, {{"name", QStringLiteral("room number %1").arg(i)}});
        const auto first = c.request("list_rooms", {{"limit", 1000}});
        QVERIFY(first);
        const int onFirst = uuidsOf(*first).size();
        QVERIFY2(onFirst > 1 && onFirst < 30, qPrintable(QString::number(onFirst)));
        int pages = 0;
        QCOMPARE(pageThrough(c, *first, 1000, &pages), rooms);
        QVERIFY(pages >= 3);
    }
};

QTEST_GUILESS_MAIN(TestServerWelcome)
#include "tst_server_welcome.moc"
