// The statement table as the code sees it: typed call arguments, what each call needs, uuid
// fields as the original accepted them, typed answers and errors, and the call table of
// docs/PROTOCOL.md rendered from it.
#include "call_text.h"
#include "protocol/answers.h"
#include "protocol/codec.h"
#include "protocol/statement_doc.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace chalk::protocol;

namespace {

// The typed request of an accepted call; fails the test (returns nullptr) for a refusal.
template <Call C> const Request<C> *accepted(const Decoded &d)
{
    if (const auto *e = std::get_if<CallError>(&d)) {
        qWarning() << "refused:" << name(e->error) << e->detail;
        return nullptr;
    }
    const CallRequest &req = std::get<CallRequest>(d);
    if (req.call != C || callOf(req.typed) != C)
        return nullptr;
    return &std::get<Request<C>>(req.typed);
}

std::optional<CallError> refused(const Decoded &d)
{
    if (const auto *e = std::get_if<CallError>(&d))
        return *e;
    return std::nullopt;
}

Envelope envelope(Type type, const char *message, QJsonObject payload)
{
    payload.insert(QStringLiteral("message"), QString::fromLatin1(message));
    return Envelope{type, QString::fromLatin1(message), payload};
}

} // namespace

class TestStatementTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void typedArgumentsAreFilled()
    {
        const Limits limits;
        Decoded d =
            decodeCall(call("change_draw_line", {{"uuid", "0B7A1C2E-3F4D-4E5F-8A9B-0C1D2E3F4A5B"},
                                                 {"points", QJsonArray{1, 2.5, 3, 4}},
                                                 {"color", "#ABC"},
                                                 {"tool", "pen"},
                                                 {"width", 3},
                                                 {"append", true},
                                                 {"client_id", "c-7"}}),
                       limits);
        const auto *line = accepted<Call::ChangeDrawLine>(d);
        QVERIFY(line);
        QCOMPARE(line->args.uuid, QStringLiteral("0b7a1c2e-3f4d-4e5f-8a9b-0c1d2e3f4a5b"));
        QCOMPARE(line->args.points, (QList<double>{1, 2.5, 3, 4}));
        QCOMPARE(line->args.color, QStringLiteral("#abc"));
        QCOMPARE(line->args.tool, QStringLiteral("pen"));
        QCOMPARE(line->args.width, std::optional<double>(3));
        QVERIFY(line->args.append);
        QCOMPARE(line->clientId, QStringLiteral("c-7"));

        d = decodeCall(call("create_room", {{"name", "  Team  "}, {"color", QJsonValue()}}),
                       limits);
        const auto *room = accepted<Call::CreateRoom>(d);
        QVERIFY(room);
        QCOMPARE(room->args.name, std::optional<QString>(QStringLiteral("Team")));
        QVERIFY(!room->args.color); // null counts as omitted for an optional field

        d = decodeCall(call("list_messages", {{"limit", 100000}}), limits);
        const auto *page = accepted<Call::ListMessages>(d);
        QVERIFY(page);
        QCOMPARE(page->args.limit, std::optional<int>(limits.pageMax));
        QVERIFY(!page->args.before);

        d = decodeCall(call("leave_room"), limits);
        QVERIFY(accepted<Call::LeaveRoom>(d));
    }

    // What a client sends from typed arguments is what the server reads back.
    void argumentsRoundTrip()
    {
        ChangeDrawLineArgs line{QStringLiteral("0b7a1c2e-3f4d-4e5f-8a9b-0c1d2e3f4a5b"),
                                {1, 2, 3.25, 4},
                                QStringLiteral("#00ff00"),
                                QStringLiteral("eraser"),
                                7.5,
                                true};
        QJsonObject fields = toFields(line);
        QCOMPARE(fields.keys(),
                 (QStringList{"append", "color", "points", "tool", "uuid", "width"}));
        const Decoded d = decodeCall(call("change_draw_line", fields), Limits{});
        const auto *req = accepted<Call::ChangeDrawLine>(d);
        QVERIFY(req);
        QCOMPARE(req->args.uuid, line.uuid);
        QCOMPARE(req->args.points, line.points);
        QCOMPARE(req->args.color, line.color);
        QCOMPARE(req->args.tool, line.tool);
        QCOMPARE(req->args.width, line.width);
        QCOMPARE(req->args.append, true);

        // Omitted optionals and a false flag are not sent, as the original client sends them.
        line.width.reset();
        line.append = false;
        fields = toFields(line);
        QVERIFY(!fields.contains(u"width"));
        QVERIFY(!fields.contains(u"append"));
        QCOMPARE(toFields(CreateRoomArgs{}), QJsonObject());
        QCOMPARE(toFields(ListMessagesArgs{QStringLiteral("m"), 20}),
                 (QJsonObject{{"before", "m"}, {"limit", 20}}));
    }

    void everyCallHasItsRequestType()
    {
        for (int i = 0; i < kCallCount; ++i) {
            const Call c = Call(i);
            const CallSpec spec = specFor(c);
            QCOMPARE(spec.call, c);
            // A call without required fields is accepted bare, and lands in its own alternative.
            bool needsFields = false;
            for (const FieldSpec &f : spec.fields)
                needsFields = needsFields || f.required;
            const Decoded d = decodeCall(call(name(c).data()), Limits{});
            if (needsFields) {
                QCOMPARE(refused(d)->error, Error::NotSufficientData);
            } else {
                QVERIFY(std::holds_alternative<CallRequest>(d));
                QCOMPARE(callOf(std::get<CallRequest>(d).typed), c);
            }
        }
    }

    void needsComeFromTheTable()
    {
        QCOMPARE(needs(Call::Authenticate), Needs::Nothing);
        // Resume gives an identity, like login (a registered device where accounts are
        // required): it needs only the server password.
        QCOMPARE(needs(Call::Resume), Needs::Admitted);
        for (Call c : {Call::Register, Call::Login})
            QCOMPARE(needs(c), Needs::Admitted);
        for (Call c : {Call::Logout, Call::ChangePassword})
            QCOMPARE(needs(c), Needs::Identity);
        QCOMPARE(needs(Call::CreateRoom), Needs::Identity);
        QCOMPARE(needs(Call::EnterRoom), Needs::Identity);
        for (Call c : {Call::CreateMessage, Call::ListMessages, Call::ChangeDrawLine,
                       Call::GetDrawing, Call::ResetDrawing, Call::Typing, Call::RemoveDrawLine})
            QCOMPARE(needs(c), Needs::Room);
    }

    // What the original server accepted is accepted: every textual RFC 4122 uuid.
    void uuidsOfEveryVersionAreAccepted_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("v1") << "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
                            << "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
        QTest::newRow("v3") << "a3bb189e-8bf9-3888-9912-ace4e6543002"
                            << "a3bb189e-8bf9-3888-9912-ace4e6543002";
        QTest::newRow("v5") << "886313e1-3b8a-5372-9b90-0c9aee199e5d"
                            << "886313e1-3b8a-5372-9b90-0c9aee199e5d";
        QTest::newRow("v7") << "017f22e2-79b0-7cc3-98c4-dc0c0c07398f"
                            << "017f22e2-79b0-7cc3-98c4-dc0c0c07398f";
        QTest::newRow("NCS variant") << "00000000-0000-0000-0000-000000000001"
                                     << "00000000-0000-0000-0000-000000000001";
        QTest::newRow("nil") << "00000000-0000-0000-0000-000000000000"
                             << "00000000-0000-0000-0000-000000000000";
        QTest::newRow("nil braced") << "{00000000-0000-0000-0000-000000000000}"
                                    << "00000000-0000-0000-0000-000000000000";
        QTest::newRow("upper, braces") << "{6BA7B810-9DAD-11D1-80B4-00C04FD430C8}"
                                       << "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
    }
    void uuidsOfEveryVersionAreAccepted()
    {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        const Decoded enter = decodeCall(call("enter_room", {{"uuid", text}}), Limits{});
        const auto *req = accepted<Call::EnterRoom>(enter);
        QVERIFY(req);
        QCOMPARE(req->args.uuid, canonical);
        const Decoded line = decodeCall(
            call(
                "change_draw_line",
                {{"uuid", text}, {"points", QJsonArray{1, 2}}, {"color", "#000"}, {"tool", "pen"}}),
            Limits{});
        QVERIFY(accepted<Call::ChangeDrawLine>(line));
    }

    // Text that is no uuid names nothing: answered as the original answers an unknown room.
    void textThatNamesNothing_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("error");
        const QJsonObject line{{"points", QJsonArray{1, 2}}, {"color", "#000"}, {"tool", "pen"}};
        QJsonObject badLine = line;
        badLine.insert("uuid", "line-1");
        QTest::newRow("enter_room")
            << call("enter_room", {{"uuid", "../../etc"}}) << "no_specified_room";
        QTest::newRow("delete_room")
            << call("delete_room", {{"uuid", "room-1"}}) << "no_specified_room";
        QTest::newRow("change_color")
            << call("change_color", {{"uuid", "x"}, {"color", "#fff"}}) << "no_specified_room";
        QTest::newRow("change_name")
            << call("change_name", {{"uuid", ""}, {"name", "a"}}) << "no_specified_room";
        QTest::newRow("list_messages")
            << call("list_messages", {{"before", "m-1"}}) << "no_such_message";
        QTest::newRow("remove_draw_line")
            << call("remove_draw_line", {{"uuid", "l"}}) << "no_such_line";
        // A new line's id is chosen by the client: it must be a uuid.
        QTest::newRow("change_draw_line") << call("change_draw_line", badLine) << "bad_data";
    }
    void textThatNamesNothing()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, error);
        const auto e = refused(decodeCall(bytes, Limits{}));
        QVERIFY2(e, "the call was accepted");
        QCOMPARE(QString(name(e->error)), error);
        QVERIFY(!e->field.isEmpty());
    }

    void answersAreTyped()
    {
        const QString u = QStringLiteral("5d1e2f3a-4b5c-4d6e-9f70-8192a3b4c5d6");
        auto a = decodeAnswer(envelope(
            Type::Result, "room_changed",
            {{"object", QJsonObject{{"uuid", u}, {"name", "Team"}, {"color", "#fff"}, {"sum", 3}}},
             {"client_id", "c-1"}}));
        QVERIFY(a);
        const auto *changed = std::get_if<Answer<Result::RoomChanged>>(&*a);
        QVERIFY(changed);
        QCOMPARE(changed->payload.object.uuid, u);
        QCOMPARE(changed->payload.object.name, QStringLiteral("Team"));
        QCOMPARE(changed->payload.object.sum, 3);
        QCOMPARE(changed->clientId, QStringLiteral("c-1"));

        a = decodeAnswer(envelope(Type::Result, "messages_listed",
                                  {{"list", QJsonArray{QJsonObject{{"uuid", u}, {"body", "hi"}}}},
                                   {"has_more", true},
                                   {"before", u}}));
        QVERIFY(a);
        const auto *page = std::get_if<Answer<Result::MessagesListed>>(&*a);
        QVERIFY(page);
        QCOMPARE(page->payload.list.size(), 1);
        QCOMPARE(page->payload.list.first().body, QStringLiteral("hi"));
        QVERIFY(page->payload.hasMore);
        QCOMPARE(page->payload.before, u);

        // draw_line_removed from a server that only sends the line: the uuid comes from it.
        a = decodeAnswer(
            envelope(Type::Result, "draw_line_removed", {{"object", QJsonObject{{"uuid", u}}}}));
        QVERIFY(a);
        QCOMPARE(std::get<Answer<Result::DrawLineRemoved>>(*a).payload.uuid, u);

        // The original's room_entered carries no room: decoded, empty, not refused.
        a = decodeAnswer(envelope(Type::Result, "room_entered", {}));
        QVERIFY(a);
        QVERIFY(std::get<Answer<Result::RoomEntered>>(*a).payload.object.uuid.isEmpty());

        QVERIFY(!decodeAnswer(envelope(Type::Result, "room_exploded", {})));
        QVERIFY(!decodeAnswer(envelope(Type::Error, "bad_data", {})));
    }

    void errorsAreTyped()
    {
        const auto e = decodeError(envelope(Type::Error, "not_empty_room",
                                            {{"detail", "the room has people in it"},
                                             {"field", "uuid"},
                                             {"call", "delete_room"},
                                             {"client_id", "c-2"}}));
        QVERIFY(e);
        QCOMPARE(e->error, Error::NotEmptyRoom);
        QCOMPARE(e->detail, QStringLiteral("the room has people in it"));
        QCOMPARE(e->field, QStringLiteral("uuid"));
        QCOMPARE(e->callName, QStringLiteral("delete_room"));
        QCOMPARE(e->clientId, QStringLiteral("c-2"));
        QVERIFY(!decodeError(envelope(Type::Error, "some_new_error", {})));
        QVERIFY(!decodeError(envelope(Type::Result, "room_changed", {})));
    }

    // docs/PROTOCOL.md's call table is the one rendered from the table (CHALK_UPDATE_DOCS=1
    // writes it).
    void protocolDocMatchesTheTable()
    {
        const QString path = QStringLiteral(CHALK_SOURCE_DIR "/docs/PROTOCOL.md");
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        QString doc = QString::fromUtf8(file.readAll());
        file.close();
        const QString begin = QString::fromLatin1(kCallTableBegin) + QLatin1Char('\n');
        const QString end = QString::fromLatin1(kCallTableEnd);
        const qsizetype from = doc.indexOf(begin);
        const qsizetype to = doc.indexOf(end);
        QVERIFY2(from >= 0 && to > from, "the generated block's markers are missing");
        const QString expected = callTableMarkdown();
        const QString actual = doc.mid(from + begin.size(), to - from - begin.size());
        if (actual != expected && qEnvironmentVariableIntValue("CHALK_UPDATE_DOCS") == 1) {
            doc.replace(from + begin.size(), to - from - begin.size(), expected);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(doc.toUtf8());
            return;
        }
        if (actual != expected)
            qWarning().noquote() << "docs/PROTOCOL.md should hold:\n" << expected;
        QCOMPARE(actual, expected);
    }
};

QTEST_GUILESS_MAIN(TestStatementTable)
#include "tst_statement_table.moc"
