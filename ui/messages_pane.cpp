#include "messages_pane.h"

#include "client/chat_client.h"
#include "client/message_list_model.h"
#include "client/typing_tracker.h"
#include "color_dot.h"
#include "compose_bar.h"
#include "direct_names.h"
#include "elided_label.h"
#include "message_input.h"
#include "message_view.h"
#include "protocol/limits.h"
#include "themed_icon.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
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
    , m_messages(messages)
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

    m_compose = new ComposeBar(this);
    layout->addWidget(m_compose);
    connect(m_compose, &ComposeBar::cancelRequested, this, &MessagesPane::cancelCompose);

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
    connect(m_input, &MessageInput::editLastRequested, this, &MessagesPane::editLastOwn);
    connect(m_input, &MessageInput::cancelRequested, this, &MessagesPane::cancelCompose);
    connect(m_view, &MessageView::replyRequested, this, &MessagesPane::startReply);
    connect(m_view, &MessageView::editRequested, this, &MessagesPane::startEdit);
    connect(m_view, &MessageView::deleteRequested, this, &MessagesPane::confirmDelete);
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
        connect(client, &client::ChatClient::callErrorReceived, this, &MessagesPane::onCallError);
        connect(client, &client::ChatClient::serverFeaturesLearned, this,
                &MessagesPane::updateMessageActions);
        // The message being edited or answered is gone: nothing left to do with it.
        connect(client, &client::ChatClient::messageDeleted, this,
                [this](const QString &, const QString &uuid) {
                    if (m_compose->mode() != ComposeBar::Mode::None &&
                        m_compose->messageUuid() == uuid)
                        cancelCompose();
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
    if (changed)
        cancelCompose();
    updateMessageActions();
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
    if (entry.kind != client::OutboxKind::Message)
        return;
    // A reply to a message that went meanwhile: onCallError says why; the text comes back.
    const bool replyGone =
        !entry.replyTo.isEmpty() && (error == protocol::name(protocol::Error::AlreadyDeleted) ||
                                     error == protocol::name(protocol::Error::NoSuchMessage));
    if (!replyGone && error != protocol::name(protocol::Error::Blocked))
        return;
    if (!replyGone) {
        m_refusal->setText(tr("Not sent: this person does not accept your messages."));
        m_refusal->show();
    }
    // What was written is not lost: back in the editor, unless something new is there.
    if (entry.roomUuid == m_roomUuid && m_input->toPlainText().trimmed().isEmpty())
        m_input->setPlainText(entry.body);
}

void MessagesPane::clearRoom()
{
    cancelCompose();
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
        return; // the hint under the editor says why
    if (m_compose->mode() == ComposeBar::Mode::Edit) {
        const int row = m_messages ? m_messages->rowOf(m_compose->messageUuid()) : -1;
        const bool same =
            row >= 0 &&
            m_messages->index(row).data(client::MessageListModel::BodyRole).toString() == body;
        if (!same && !m_client->editMessage(m_compose->messageUuid(), body)) {
            m_refusal->setText(tr("Not saved: not connected. Try again once the link is back."));
            m_refusal->show();
            return;
        }
        m_draft.clear();
        m_input->clear();
        m_compose->clear();
        m_send->setText(tr("Send"));
        m_refusal->hide();
        return;
    }
    const QString replyTo =
        m_compose->mode() == ComposeBar::Mode::Reply ? m_compose->messageUuid() : QString();
    m_view->followBottom(); // one's own message is always shown
    if (!m_client->sendMessage(body, replyTo).isEmpty()) {
        m_input->clear();
        m_compose->clear();
        m_refusal->hide();
        m_lastTyping.invalidate(); // the next keystroke is a new "typing"
    }
}

void MessagesPane::updateMessageActions()
{
    m_view->setMessageActionsEnabled(
        m_client && m_client->serverFeatures().supports(client::Feature::OwnMessages));
}

void MessagesPane::startReply(const QModelIndex &index)
{
    using Model = client::MessageListModel;
    if (!index.isValid() || index.data(Model::UuidRole).toString().isEmpty())
        return;
    if (m_compose->mode() == ComposeBar::Mode::Edit)
        cancelCompose();
    m_compose->startReply(index.data(Model::UuidRole).toString(),
                          index.data(Model::SenderNameRole).toString(),
                          index.data(Model::BodyRole).toString());
    m_input->setFocus();
}

void MessagesPane::startEdit(const QModelIndex &index)
{
    using Model = client::MessageListModel;
    if (!index.isValid() || !index.data(Model::OwnRole).toBool() ||
        index.data(Model::DeletedRole).toBool() || index.data(Model::UuidRole).toString().isEmpty())
        return;
    if (m_compose->mode() != ComposeBar::Mode::Edit)
        m_draft = m_input->toPlainText(); // given back when the edit ends
    m_compose->startEdit(index.data(Model::UuidRole).toString());
    m_input->setPlainText(index.data(Model::BodyRole).toString());
    m_input->moveCursor(QTextCursor::End);
    m_input->setFocus();
    m_send->setText(tr("Save"));
}

bool MessagesPane::editLastOwn()
{
    using Model = client::MessageListModel;
    if (!m_messages || !m_client ||
        !m_client->serverFeatures().supports(client::Feature::OwnMessages))
        return false;
    for (int row = int(m_messages->storedCount()) - 1; row >= 0; --row) {
        const QModelIndex index = m_messages->index(row);
        if (index.data(Model::OwnRole).toBool() && !index.data(Model::DeletedRole).toBool()) {
            startEdit(index);
            return true;
        }
    }
    return false;
}

void MessagesPane::cancelCompose()
{
    if (m_compose->mode() == ComposeBar::Mode::Edit) {
        m_input->setPlainText(m_draft);
        m_input->moveCursor(QTextCursor::End);
        m_send->setText(tr("Send"));
    }
    m_draft.clear();
    m_compose->clear();
}

void MessagesPane::confirmDelete(const QModelIndex &index)
{
    using Model = client::MessageListModel;
    const QString uuid = index.data(Model::UuidRole).toString();
    if (!index.isValid() || uuid.isEmpty() || !index.data(Model::OwnRole).toBool() || m_confirm)
        return;
    // Not modal to the application: the window goes on while the question is open.
    m_confirm = new QMessageBox(QMessageBox::Question, tr("Delete message"),
                                tr("Delete this message for everyone in the room?"),
                                QMessageBox::NoButton, this);
    m_confirm->setObjectName(QStringLiteral("DeleteConfirmation"));
    m_confirm->setTextFormat(Qt::PlainText);
    m_confirm->setInformativeText(
        tr("It shows as \"Message deleted\" from now on. This cannot be undone."));
    QPushButton *remove = m_confirm->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("ConfirmDeleteButton"));
    m_confirm->addButton(QMessageBox::Cancel);
    m_confirm->setDefaultButton(QMessageBox::Cancel);
    m_confirm->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_confirm, &QMessageBox::buttonClicked, this,
            [this, remove, uuid](QAbstractButton *button) {
                if (button == remove && m_client && !m_client->deleteMessage(uuid)) {
                    m_refusal->setText(tr("Not deleted: not connected."));
                    m_refusal->show();
                }
            });
    m_confirm->open();
}

void MessagesPane::onCallError(const protocol::CallError &error)
{
    using protocol::Call;
    using protocol::Error;
    const QString call = error.callName;
    const bool edit = call == protocol::name(Call::EditMessage);
    if (!edit && call != protocol::name(Call::DeleteMessage) &&
        !(call == protocol::name(Call::CreateMessage) && error.field == u"reply_to"))
        return;
    QString text;
    switch (error.error) {
    case Error::NotYourMessage:
        text = tr("Only its author can change a message.");
        break;
    case Error::AlreadyDeleted:
        text = tr("That message was deleted.");
        break;
    case Error::NoSuchMessage:
        text = tr("That message is no longer there.");
        break;
    case Error::RateLimited:
        text = tr("Too fast: wait a moment and try again.");
        break;
    default:
        text = edit ? tr("Not saved: %1").arg(error.detail) : tr("Not done: %1").arg(error.detail);
        break;
    }
    m_refusal->setText(text);
    m_refusal->show();
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
