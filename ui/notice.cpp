#include "notice.h"

namespace chalk::ui {

QMessageBox *showNotice(QWidget *parent, QMessageBox::Icon icon, const QString &title,
                        const QString &text, const QString &objectName)
{
    auto *box = new QMessageBox(icon, title, text, QMessageBox::Ok, parent);
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    if (!objectName.isEmpty())
        box->setObjectName(objectName);
    box->open();
    return box;
}

} // namespace chalk::ui
