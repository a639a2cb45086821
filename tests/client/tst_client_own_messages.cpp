// Own messages as ChatClient and MessageListModel show them, against a real in-process
// ChatServer: an edit and a delete change the row in place on both sides ("edited", "Message
// deleted"); another user's attempt is refused with not_your_message; a reply shows the quote of
// the message it answers and follows that message's edit and delete; an edit made while a
// client was away shows once it is back (the newest page); a reply waiting in the outbox keeps
// what it replies to across a restart of the app.
#include "client/chat_client.h"
#include "client/message_list_model.h"
#include "client/settings_store.h"
#include "client_test_support.h"

#include <QSignalSpy>
#include <QTest>

using namespace chalk;
using namespace chalk::client;
using Model = MessageListModel;

namespace {
constexpr int kWait = 10000;

struct Side {
    std::unique_ptr<ChatClient> client;
    std::unique_ptr<MessageListModel> model;

    QVariant at(const QString &uuid, int role) const
    {
        const int row = model->rowOf(uuid);
        return row < 0 ? QVariant() : model->index(row).data(role);
    }
};

Side connected(const QUrl &url)
{
    Side s;
    s.client =
        std::make_unique<ChatClient>(std::make_shared<MemorySettingsStore>(), test::fastOptions());
    s.model = std::make_unique<MessageListModel>(s.client.get());
    QSignalSpy ready(s.client.get(), &ChatClient::ready);
    s.client->connectToServer(url);
    if (!ready.wait(kWait))
        s.client.reset();
    return s;
}

bool enter(ChatClient &c, const QString &room)
{
    QSignalSpy listed(&c, &ChatClient::messagesListed);
    return c.enterRoom(room) && listed.wait(kWait);
}

// The uuid of a message `c` sent (as a reply to `replyTo`, when set), once stored.
QString say(ChatClient &c, const QString &body, const QString &replyTo = {})
{
    QSignalSpy created(&c, &ChatClient::messageCreated);
    if (c.sendMessage(body, replyTo).isEmpty())
        return {};
    for (int i = 0; i < 10 && (created.isEmpty() ||
                               created.last().first().value<protocol::Message>().body != body);
         ++i)
        if (!created.wait(kWait))
            return {};
    return created.last().first().value<protocol::Message>().uuid;
}

// Two clients in one new room; empty on failure.
QString bothIn(Side &a, Side &b)
{
    if (!a.client || !b.client)
        return {};
    QSignalSpy created(a.client.get(), &ChatClient::roomCreated);
    if (!a.client->createRoom() || !created.wait(kWait))
        return {};
    const QString room = created.first().first().value<protocol::Room>().uuid;
    return enter(*a.client, room) && enter(*b.client, room) ? room : QString();
}
} // namespace

class TestClientOwnMessages : public QObject {
    Q_OBJECT
    test::ServerHost host;

private slots:
    void init() { QVERIFY(host.start()); }
    void cleanup()
    {
        host.stop();
        host.replaceStorage();
    }

    void editAndDeleteChangeTheRowOnBothSides()
    {
        Side a = connected(host.url()), b = connected(host.url());
        QVERIFY(!bothIn(a, b).isEmpty());
        const QString uuid = say(*a.client, "helo");
        QVERIFY(!uuid.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(b.model->rowOf(uuid) >= 0, kWait);
        QCOMPARE(a.at(uuid, Model::EditedRole).toBool(), false);

        QVERIFY(a.client->editMessage(uuid, "hello"));
        QTRY_COMPARE_WITH_TIMEOUT(b.at(uuid, Model::BodyRole).toString(), QString("hello"), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(a.at(uuid, Model::BodyRole).toString(), QString("hello"), kWait);
        QCOMPARE(b.at(uuid, Model::EditedRole).toBool(), true);
        QVERIFY(b.at(uuid, Model::EditedAtRole).toDateTime().isValid());
        QCOMPARE(a.model->rowCount(), 1); // changed in place, not added

        // Someone else's message: refused, and nothing changes.
        QSignalSpy refused(b.client.get(), &ChatClient::callErrorReceived);
        QVERIFY(b.client->editMessage(uuid, "mine now"));
        QVERIFY(refused.wait(kWait));
        QCOMPARE(refused.first().first().value<protocol::CallError>().error,
                 protocol::Error::NotYourMessage);
        QVERIFY(b.client->deleteMessage(uuid));
        QVERIFY(refused.wait(kWait));
        QCOMPARE(a.at(uuid, Model::BodyRole).toString(), QString("hello"));

        QVERIFY(a.client->deleteMessage(uuid));
        QTRY_VERIFY_WITH_TIMEOUT(b.at(uuid, Model::DeletedRole).toBool(), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(a.at(uuid, Model::DeletedRole).toBool(), kWait);
        QCOMPARE(b.at(uuid, Qt::DisplayRole).toString(), QString("Message deleted"));
        QCOMPARE(b.at(uuid, Model::BodyRole).toString(), QString());
        QCOMPARE(b.at(uuid, Model::EditedRole).toBool(), false);
        QCOMPARE(b.model->rowCount(), 1);
    }

    void aReplyShowsItsQuoteAndFollowsTheOriginal()
    {
        Side a = connected(host.url()), b = connected(host.url());
        QVERIFY(!bothIn(a, b).isEmpty());
        const QString original = say(*a.client, "lunch at noon?");
        QVERIFY(!original.isEmpty());
        const QString reply = say(*b.client, "yes!", original);
        QVERIFY(!reply.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(a.model->rowOf(reply) >= 0, kWait);
        QCOMPARE(a.at(reply, Model::ReplyToRole).toString(), original);
        QCOMPARE(a.at(reply, Model::ReplySenderRole).toString(), a.client->user().name);
        QCOMPARE(a.at(reply, Model::ReplyTextRole).toString(), QString("lunch at noon?"));
        QCOMPARE(b.at(reply, Model::ReplyTextRole).toString(), QString("lunch at noon?"));

        QVERIFY(a.client->editMessage(original, "lunch at one?"));
        QTRY_COMPARE_WITH_TIMEOUT(b.at(reply, Model::ReplyTextRole).toString(),
                                  QString("lunch at one?"), kWait);
        QVERIFY(a.client->deleteMessage(original));
        QTRY_VERIFY_WITH_TIMEOUT(b.at(reply, Model::ReplyDeletedRole).toBool(), kWait);
        QCOMPARE(b.at(reply, Model::ReplyTextRole).toString(), QString());
        QCOMPARE(b.at(reply, Model::BodyRole).toString(), QString("yes!"));
    }

    void anEditMadeWhileAwayShowsOnReturn()
    {
        Side a = connected(host.url()), b = connected(host.url());
        const QString room = bothIn(a, b);
        QVERIFY(!room.isEmpty());
        const QString uuid = say(*a.client, "first version");
        QTRY_VERIFY_WITH_TIMEOUT(b.model->rowOf(uuid) >= 0, kWait);
        QSignalSpy down(b.client.get(), &ChatClient::stateChanged);
        b.client->disconnectFromServer();
        QTRY_VERIFY_WITH_TIMEOUT(!b.client->isConnected(), kWait);
        QSignalSpy changed(a.client.get(), &ChatClient::messageChanged);
        QVERIFY(a.client->editMessage(uuid, "second version"));
        QVERIFY(changed.wait(kWait));
        QCOMPARE(b.at(uuid, Model::BodyRole).toString(), QString("first version"));
        QSignalSpy listed(b.client.get(), &ChatClient::messagesListed);
        b.client->connectToServer(host.url());
        QVERIFY(listed.wait(kWait)); // re-entered: the newest page
        QTRY_COMPARE_WITH_TIMEOUT(b.at(uuid, Model::BodyRole).toString(), QString("second version"),
                                  kWait);
        QCOMPARE(b.at(uuid, Model::EditedRole).toBool(), true);
    }

    void aWaitingReplyKeepsWhatItAnswers()
    {
        Outbox saved;
        const QString room = protocol::newUuid();
        const QString original = protocol::newUuid();
        saved.enqueue(room, "a reply", original);
        saved.enqueue(room, "no reply");
        Outbox restored;
        restored.restore(saved.toVariantList());
        QCOMPARE(restored.size(), 2);
        QCOMPARE(restored.entries().at(0).replyTo, original);
        QCOMPARE(restored.entries().at(1).replyTo, QString());
    }
};

QTEST_GUILESS_MAIN(TestClientOwnMessages)
#include "tst_client_own_messages.moc"
