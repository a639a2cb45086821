#include "statement_doc.h"

#include "codec.h"

#include <QStringList>

namespace chalk::protocol {
namespace {

struct CallDoc {
    const char *answer;
    const char *others;
};
#define CHALK_DOC_ENTRY(e, n, original, need, args, answer, others) CallDoc{answer, others},
constexpr CallDoc kCallDocs[] = {CHALK_CALLS(CHALK_DOC_ENTRY)};
#undef CHALK_DOC_ENTRY

QString describe(FieldKind kind, const Limits &l)
{
    switch (kind) {
    case FieldKind::Uuid:
        return QStringLiteral("a line's uuid: new, or its own to update");
    case FieldKind::RoomRef:
        return QStringLiteral("a room's uuid");
    case FieldKind::MessageRef:
        return QStringLiteral("a message's uuid");
    case FieldKind::LineRef:
        return QStringLiteral("a line's uuid");
    case FieldKind::UserRef:
        return QStringLiteral("a user's uuid");
    case FieldKind::UserName:
        return QStringLiteral("1–%1 chars, one line").arg(l.userName);
    case FieldKind::RoomName:
        return QStringLiteral("1–%1 chars, one line").arg(l.roomName);
    case FieldKind::Body:
        return QStringLiteral("1–%1 chars").arg(l.body);
    case FieldKind::Color:
        return QStringLiteral("colour");
    case FieldKind::Points:
        return QStringLiteral("numbers, at most %1 x,y pairs").arg(l.pointsPerLine);
    case FieldKind::Tool:
        return QStringLiteral("`pen` or `eraser`");
    case FieldKind::Width:
        return QStringLiteral("number, above 0, at most %1").arg(l.widthMax);
    case FieldKind::PageLimit:
        return QStringLiteral("1–%1, default %2").arg(l.pageMax).arg(l.pageDefault);
    case FieldKind::Flag:
        return QStringLiteral("true or false");
    case FieldKind::Token:
        return QStringLiteral("at most %1 chars").arg(l.token);
    case FieldKind::Password:
        return QStringLiteral("at most %1 chars").arg(l.password);
    case FieldKind::LoginName:
        return QStringLiteral("%1–%2 chars, one line; unique by NFKC + case fold")
            .arg(l.loginNameMin)
            .arg(l.loginNameMax);
    case FieldKind::AccountPassword:
        return QStringLiteral("%1–%2 bytes of UTF-8")
            .arg(l.passwordMinBytes)
            .arg(l.passwordMaxBytes);
    case FieldKind::SearchText:
        return QStringLiteral("0–%1 chars, one line; matched ignoring case and accents")
            .arg(l.userName);
    case FieldKind::UserPageLimit:
        return QStringLiteral("1–%1, default %2").arg(l.userPageMax).arg(l.userPageDefault);
    case FieldKind::RoomPageLimit:
        return QStringLiteral("1–%1, default %2; a page also ends past %3 KiB")
            .arg(l.roomPageMax)
            .arg(l.roomPageDefault)
            .arg(l.roomPageBytes / 1024);
    }
    return {};
}

QString needsText(Needs n)
{
    switch (n) {
    case Needs::Nothing:
        return QStringLiteral("nothing (before `authenticate` too)");
    case Needs::Admitted:
        return QStringLiteral("the password, if the server asks one (no identity)");
    case Needs::Identity:
        return QStringLiteral("an identity");
    case Needs::Room:
        return QStringLiteral("a room (else `no_selected_room`)");
    }
    return {};
}

} // namespace

QString callTableMarkdown(const Limits &limits)
{
    QStringList out;
    out << QStringLiteral("| call | fields | needs | answer to the caller | sent to others |")
        << QStringLiteral("|---|---|---|---|---|");
    for (int i = 0; i < kCallCount; ++i) {
        const Call call = Call(i);
        QStringList fields;
        for (const FieldSpec &f : specFor(call).fields) {
            fields << QStringLiteral("%1`%2`%3 (%4)")
                          .arg(f.origin == Origin::Ours ? QStringLiteral("**ours:** ") : QString(),
                               QLatin1String(f.name),
                               f.required ? QString() : QStringLiteral(" *opt*"),
                               describe(f.kind, limits));
        }
        const CallDoc &doc = kCallDocs[i];
        out << QStringLiteral("| %1`%2` | %3 | %4 | %5 | %6 |")
                   .arg(isOriginal(call) ? QString() : QStringLiteral("**ours:** "), name(call),
                        fields.isEmpty() ? QStringLiteral("—") : fields.join(QStringLiteral(", ")),
                        needsText(needs(call)), QString::fromUtf8(doc.answer),
                        QString::fromUtf8(doc.others));
    }
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace chalk::protocol
