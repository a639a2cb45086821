// Being told: two real windows on one in-process server. A notifier that records what it is
// asked to show stands in for the desktop's (the freedesktop one is tested against a real
// D-Bus daemon in tst_freedesktop_notifier). The functions run in order and share the parties.
#include "client/chat_client.h"
#include "client/room_list_model.h"
#include "ui/attention.h"
#include "ui/main_window.h"
#include "ui/notifier.h"
#include "ui/sound_player.h"
#include "ui_test_support.h"

#include <QSignalSpy>
#include <QTest>

using namespace chalk;

namespace {
constexpr int kTimeout = 10000;

class RecordingNotifier final : public ui::Notifier {
public:
    QList<ui::Notification> shown;
    void show(const ui::Notification &n) override { shown.append(n); }
    QString describe() const override { return QStringLiteral("recording"); }
    void click(const QString &room) { emit activated(room); }
};

// Creates a room from `client` and returns its uuid ("" on a time-out).
QString createRoom(client::ChatClient *client, const QString &name)
{
    QSignalSpy created(client, &client::ChatClient::roomCreated);
    client->createRoom(name);
    for (int i = 0; i < 50; ++i) {
        for (const QList<QVariant> &args : created) {
            const auto room = args.at(0).value<protocol::Room>();
            if (room.name == name)
                return room.uuid;
        }
        created.wait(200);
    }
    return {};
}

bool enter(client::ChatClient *client, const QString &uuid)
{
    client->enterRoom(uuid);
    return QTest::qWaitFor([&] { return client->currentRoomUuid() == uuid; }, kTimeout);
}
} // namespace

class TestAttention : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        test::prepareUiTestEnvironment();
        QVERIFY(m_parties.start());
        for (test::Party *p : {&m_a, &m_b}) {
            auto notifier = std::make_unique<RecordingNotifier>();
            (p == &m_a ? m_notesA : m_notesB) = notifier.get();
            p->window->attention()->setNotifier(std::move(notifier));
        }
        // Offscreen windows are never active: the tests say when one is.
        m_b.window->attention()->setWindowActiveProbe([this] { return m_bActive; });
        m_team = createRoom(m_a.client.get(), QStringLiteral("Team"));
        m_other = createRoom(m_a.client.get(), QStringLiteral("Other"));
        QVERIFY(!m_team.isEmpty() && !m_other.isEmpty());
        QVERIFY(enter(m_a.client.get(), m_team));
        QVERIFY(enter(m_b.client.get(), m_team));
    }

    void aMessageInTheOpenRoomNotifiesOnlyWhenTheWindowIsNotActive()
    {
        m_bActive = true;
        m_a.client->sendMessage(QStringLiteral("seen in the window"));
        QTRY_COMPARE_WITH_TIMEOUT(m_b.window->sounds()->messageSounds(), 1, kTimeout);
        QVERIFY(m_notesB->shown.isEmpty());

        m_bActive = false;
        m_a.client->sendMessage(QStringLiteral("<b>while</b> away\nsecond line"));
        QTRY_COMPARE_WITH_TIMEOUT(m_notesB->shown.size(), 1, kTimeout);
        const ui::Notification n = m_notesB->shown.last();
        QCOMPARE(n.roomUuid, m_team);
        QCOMPARE(n.title, QStringLiteral("%1 in Team").arg(m_a.client->user().name));
        QCOMPARE(n.body, QStringLiteral("<b>while</b> away second line")); // plain, one line
        // The sender hears and sees nothing of its own messages.
        QCOMPARE(m_a.window->sounds()->messageSounds(), 0);
        QVERIFY(m_notesA->shown.isEmpty());
    }

    void aLongMessageIsShortened()
    {
        m_a.client->sendMessage(QString(500, u'x'));
        QTRY_COMPARE_WITH_TIMEOUT(m_notesB->shown.size(), 2, kTimeout);
        QCOMPARE(m_notesB->shown.last().body.size(), ui::kNotificationBodyChars);
        QVERIFY(m_notesB->shown.last().body.endsWith(QChar(0x2026)));
    }

    void anotherRoomNotifiesCountsAndTheTitleShowsTheUnread()
    {
        QVERIFY(enter(m_b.client.get(), m_other));
        m_bActive = true; // a room not in view notifies even in the active window
        const int notes = m_notesB->shown.size();
        m_a.client->sendMessage(QStringLiteral("news in Team"));
        QTRY_COMPARE_WITH_TIMEOUT(m_notesB->shown.size(), notes + 1, kTimeout);
        QCOMPARE(m_notesB->shown.last().roomUuid, m_team);
        QCOMPARE(m_notesB->shown.last().title, QStringLiteral("Team"));
        QCOMPARE(m_notesB->shown.last().body, QStringLiteral("1 new message(s)"));
        QTRY_COMPARE_WITH_TIMEOUT(m_b.window->attention()->totalUnread(), 1, kTimeout);
        QVERIFY2(m_b.window->windowTitle().startsWith(QStringLiteral("(1) ")),
                 qPrintable(m_b.window->windowTitle()));
        QVERIFY(!m_a.window->windowTitle().startsWith(u'('));
    }

    void clickingANotificationOpensItsRoom()
    {
        m_notesB->click(m_team);
        QTRY_COMPARE_WITH_TIMEOUT(m_b.client->currentRoomUuid(), m_team, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_b.window->attention()->totalUnread(), 0, kTimeout);
        QVERIFY(!m_b.window->windowTitle().startsWith(u'('));
    }

    void aMutedRoomAndDoNotDisturbStaySilent()
    {
        QVERIFY(enter(m_b.client.get(), m_other));
        ui::Attention *att = m_b.window->attention();
        att->setRoomMuted(m_team, true);
        QVERIFY(att->isRoomMuted(m_team));
        const int notes = m_notesB->shown.size();
        const int sounds = m_b.window->sounds()->otherRoomSounds();
        m_a.client->sendMessage(QStringLiteral("muted"));
        // The count still rises (the badge and the title), silently.
        QTRY_COMPARE_WITH_TIMEOUT(att->totalUnread(), 1, kTimeout);
        QCOMPARE(m_notesB->shown.size(), notes);
        QCOMPARE(m_b.window->sounds()->otherRoomSounds(), sounds);

        att->setRoomMuted(m_team, false);
        att->setDoNotDisturb(true);
        m_a.client->sendMessage(QStringLiteral("do not disturb"));
        QTRY_COMPARE_WITH_TIMEOUT(att->totalUnread(), 2, kTimeout);
        QCOMPARE(m_notesB->shown.size(), notes);
        QCOMPARE(m_b.window->sounds()->otherRoomSounds(), sounds);

        att->setDoNotDisturb(false);
        m_a.client->sendMessage(QStringLiteral("heard again"));
        QTRY_COMPARE_WITH_TIMEOUT(m_notesB->shown.size(), notes + 1, kTimeout);
        QCOMPARE(m_b.window->sounds()->otherRoomSounds(), sounds + 1);
    }

    void aDirectMessageReachesTheOtherWhereverTheyAre()
    {
        // B is in another room; A opens a direct conversation with B and writes.
        QVERIFY(enter(m_b.client.get(), m_other));
        const QString aName = m_a.client->user().name;
        QSignalSpy entered(m_a.client.get(), &client::ChatClient::roomEntered);
        QVERIFY(m_a.client->openDirect(m_b.client->user().uuid));
        QVERIFY(entered.wait(kTimeout));
        const QString direct = m_a.client->currentRoomUuid();
        QTRY_VERIFY_WITH_TIMEOUT(m_b.window->roomModel()->indexOf(direct) >= 0, kTimeout);
        ui::Attention *att = m_b.window->attention();
        const int unread = att->totalUnread();
        const int notes = m_notesB->shown.size();
        m_a.client->sendMessage(QStringLiteral("a word in private"));
        // Told, under the other person's name, and counted by the server.
        QTRY_COMPARE_WITH_TIMEOUT(m_notesB->shown.size(), notes + 1, kTimeout);
        QCOMPARE(m_notesB->shown.last().roomUuid, direct);
        QCOMPARE(m_notesB->shown.last().title, aName);
        QCOMPARE(m_notesB->shown.last().body, QStringLiteral("1 new message(s)"));
        QTRY_COMPARE_WITH_TIMEOUT(att->totalUnread(), unread + 1, kTimeout);
        // A's own message in its own direct conversation is no news to A.
        QVERIFY(m_notesA->shown.isEmpty());
    }

    void cleanupTestCase() { m_parties.stop(); }

private:
    test::TwoParties m_parties;
    test::Party &m_a = m_parties.a;
    test::Party &m_b = m_parties.b;
    RecordingNotifier *m_notesA = nullptr;
    RecordingNotifier *m_notesB = nullptr;
    bool m_bActive = false;
    QString m_team;
    QString m_other;
};

QTEST_MAIN(TestAttention)
#include "tst_attention.moc"
