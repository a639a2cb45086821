#include "messages_pane.h"

#include "client/chat_client.h"
#include "client/message_list_model.h"
#include "client/typing_tracker.h"
#include "color_dot.h"
#include "direct_names.h"
#include "elided_label.h"
#include "message_input.h"
#include "message_view.h"
#include "protocol/limits.h"
#include "themed_icon.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace chalk::ui {

namespace {
constexpr qint64 kTypingIntervalMs = 3000;
} // namespace

MessagesPane::MessagesPane(client::ChatClient *client, client::MessageListModel *messages,
                           client::TypingTracker *typing, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_tracker(typing)
{
    setObjectName(QStringLiteral("MessagesPane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);

    auto *titleRow = new QHBoxLayout;
    m_swatch = new QLabel(this);
    m_swatch->setTextFormat(Qt::PlainText);
    m_swatch->setFixedSize(16, 16);
    m_title = new ElidedLabel(this);
    m_title->setObjectName(QStringLiteral("RoomTitle"));
    QFont tf = m_title->font();
    tf.setBold(true);
    tf.setPointSizeF(tf.pointSizeF() * 1.1);
    m_title->setFont(tf);
    titleRow->addWidget(m_swatch);
    titleRow->addWidget(m_title, 1);
    layout->addLayout(titleRow);

    m_stack = new QStackedWidget(this);
    auto *hint = new QLabel(tr("You are not in a room yet.\nDouble-click a room in the Rooms "
                               "tab to enter it, or create one with New."),
                            m_stack);
    hint->setObjectName(QStringLiteral("HintLabel"));
    hint->setTextFormat(Qt::PlainText);
    hint->setAlignment(Qt::AlignCenter);
    hint->setWordWrap(true);
    m_view = new MessageView(m_stack);
    m_view->setMessageModel(messages);
    m_stack->addWidget(hint);
    m_stack->addWidget(m_view);
    layout->addWidget(m_stack, 1);

    m_typing = new ElidedLabel(this);
    m_typing->setObjectName(QStringLiteral("TypingLabel"));
    m_typing->setMinimumHeight(m_typing->fontMetrics().height());
    layout->addWidget(m_typing);

    auto *inputRow = new QHBoxLayout;
    m_input = new MessageInput(this);
    m_send =
        new QPushButton(themes::icon(QStringLiteral(":/icons/send.png"), themes::IconPlace::Accent),
                        tr("Send"), this);
    m_send->setObjectName(QStringLiteral("SendButton"));
    m_send->setToolTip(tr("Send (Enter)"));
    inputRow->addWidget(m_input, 1);
    inputRow->addWidget(m_send, 0, Qt::AlignBottom);
    layout->addLayout(inputRow);
    m_limitHint = new QLabel(this);
    m_limitHint->setObjectName(QStringLiteral("HintLabel"));
    m_limitHint->setTextFormat(Qt::PlainText);
    m_limitHint->hide();
    layout->addWidget(m_limitHint);
    m_refusal = new QLabel(this);
    m_refusal->setObjectName(QStringLiteral("RefusalLabel"));
    m_refusal->setTextFormat(Qt::PlainText);
    m_refusal->setWordWrap(true);
    m_refusal->setAccessibleName(tr("Message not sent"));
    QFont bold = m_refusal->font();
    bold.setBold(true);
    m_refusal->setFont(bold);
    m_refusal->hide();
    layout->addWidget(m_refusal);

    connect(m_input, &MessageInput::submitRequested, this, &MessagesPane::sendCurrentText);
    connect(m_send, &QPushButton::clicked, this, &MessagesPane::sendCurrentText);
    connect(m_input, &QPlainTextEdit::textChanged, this, &MessagesPane::onTextChanged);
    if (typing)
        connect(typing, &client::TypingTracker::changed, this, &MessagesPane::updateTyping);
    if (client) {
        connect(client, &client::ChatClient::roomEntered, this, &MessagesPane::showRoom);
        connect(client, &client::ChatClient::roomChanged, this, [this](const protocol::Room &room) {
            if (room.uuid == m_roomUuid)
                showRoom(room);
        });
        connect(client, &client::ChatClient::roomLeft, this, &MessagesPane::clearRoom);
        connect(client->outbox(), &client::Outbox::entryFailed, this,
                [this](const client::OutboxEntry &entry, const QString &error) {
                    onRefused(entry, error);
                });
        connect(client, &client::ChatClient::roomDeleted, this, [this](const protocol::Room &room) {
            if (room.uuid == m_roomUuid)
                clearRoom();
        });
    }
    clearRoom();
}

void MessagesPane::showRoom(const protocol::Room &room)
{
    const bool changed = room.uuid != m_roomUuid;
    m_roomUuid = room.uuid;
    m_room = room;
    if (changed)
        m_refusal->hide();
    updateTitle();
    QColor c(room.color);
    m_swatch->setPixmap(colorDot(c.isValid() ? c : QColor(Qt::gray), 16, devicePixelRatioF()));
    m_swatch->show();
    m_stack->setCurrentWidget(m_view);
    m_input->setEnabled(true);
    m_send->setEnabled(true);
    if (changed)
        m_input->setFocus();
}

void MessagesPane::setDirectNames(DirectNames *names)
{
    m_names = names;
    if (names)
        connect(names, &DirectNames::changed, this, &MessagesPane::updateTitle);
    updateTitle();
}

void MessagesPane::updateTitle()
{
    if (!m_roomUuid.isEmpty())
        m_title->setFullText(m_names ? m_names->nameOf(m_room) : m_room.name);
}

void MessagesPane::onRefused(const client::OutboxEntry &entry, const QString &error)
{
    if (entry.kind != client::OutboxKind::Message ||
        error != protocol::name(protocol::Error::Blocked))
        return;
    m_refusal->setText(tr("Not sent: this person does not accept your messages."));
    m_refusal->show();
    // What was written is not lost: back in the editor, unless something new is there.
    if (entry.roomUuid == m_roomUuid && m_input->toPlainText().trimmed().isEmpty())
        m_input->setPlainText(entry.body);
}

void MessagesPane::clearRoom()
{
    m_roomUuid.clear();
    m_room = {};
    m_refusal->hide();
    m_title->setFullText(tr("No room"));
    m_swatch->hide();
    m_stack->setCurrentIndex(0);
    m_input->setEnabled(false);
    m_send->setEnabled(false);
    m_typing->setFullText(QString());
}

void MessagesPane::sendCurrentText()
{
    if (!m_client)
        return;
    const QString body = m_input->toPlainText().trimmed();
    if (body.isEmpty())
        return;
    if (body.size() > protocol::Limits{}.body)
        return;             // the hint under the editor says why
    m_view->followBottom(); // one's own message is always shown
    if (!m_client->sendMessage(body).isEmpty()) {
        m_input->clear();
        m_refusal->hide();
        m_lastTyping.invalidate(); // the next keystroke is a new "typing"
    }
}

void MessagesPane::onTextChanged()
{
    const QString text = m_input->toPlainText();
    const int limit = protocol::Limits{}.body;
    const bool tooLong = text.trimmed().size() > limit;
    m_limitHint->setVisible(tooLong);
    if (tooLong)
        m_limitHint->setText(
            tr("Too long: %1 of at most %2 characters.").arg(text.trimmed().size()).arg(limit));
    m_send->setEnabled(!tooLong && !m_roomUuid.isEmpty());
    if (text.isEmpty() || !m_client || m_roomUuid.isEmpty())
        return;
    if (!m_lastTyping.isValid() || m_lastTyping.elapsed() >= kTypingIntervalMs) {
        if (m_client->sendTyping()) {
            ++m_typingSent;
            m_lastTyping.start();
        }
    }
}

void MessagesPane::updateTyping()
{
    m_typing->setFullText(m_tracker ? m_tracker->text() : QString());
}

} // namespace chalk::ui
