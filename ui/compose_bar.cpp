#include "compose_bar.h"

#include "elided_label.h"

#include <QHBoxLayout>
#include <QToolButton>
#include <QVBoxLayout>

namespace chalk::ui {

ComposeBar::ComposeBar(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("ComposeBar"));
    setFrameShape(QFrame::StyledPanel);
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(8, 4, 4, 4);
    auto *texts = new QVBoxLayout;
    texts->setSpacing(0);
    m_title = new ElidedLabel(this);
    m_title->setObjectName(QStringLiteral("ComposeTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_quote = new ElidedLabel(this);
    m_quote->setObjectName(QStringLiteral("HintLabel"));
    texts->addWidget(m_title);
    texts->addWidget(m_quote);
    row->addLayout(texts, 1);
    m_cancel = new QToolButton(this);
    m_cancel->setObjectName(QStringLiteral("ComposeCancel"));
    m_cancel->setText(QStringLiteral("\u2715"));
    m_cancel->setAutoRaise(true);
    m_cancel->setToolTip(tr("Cancel (Esc)"));
    m_cancel->setAccessibleName(tr("Cancel"));
    row->addWidget(m_cancel, 0, Qt::AlignTop);
    connect(m_cancel, &QToolButton::clicked, this, &ComposeBar::cancelRequested);
    hide();
}

void ComposeBar::startEdit(const QString &messageUuid)
{
    m_mode = Mode::Edit;
    m_uuid = messageUuid;
    m_title->setFullText(tr("Editing message \u2014 Esc to cancel"));
    m_quote->hide();
    show();
}

void ComposeBar::startReply(const QString &messageUuid, const QString &sender, const QString &quote)
{
    m_mode = Mode::Reply;
    m_uuid = messageUuid;
    m_title->setFullText(tr("Replying to %1").arg(sender.simplified()));
    m_quote->setFullText(quote.simplified());
    m_quote->show();
    show();
}

void ComposeBar::clear()
{
    m_mode = Mode::None;
    m_uuid.clear();
    hide();
}

} // namespace chalk::ui
