// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Translations: our .qm files are compiled in under :/i18n; Qt's come from its install.
#include "translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QPointer>
#include <QTranslator>

namespace Monitor {

namespace {
QPointer<QTranslator> g_ours;
QPointer<QTranslator> g_qt;
const QString ResourceDirectory = QStringLiteral(":/i18n");
const QString FilePrefix = QStringLiteral("cluster-monitor");
} // namespace

QString Translations::install(const QString &language)
{
    uninstall();
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    if (!language.isEmpty())
        QLocale::setDefault(locale);

    auto *ours = new QTranslator(QCoreApplication::instance());
    // No translation for this language (or the C locale): English, whose file holds the
    // plural forms ("1 worker", "2 workers").
    if (!ours->load(locale, FilePrefix, QStringLiteral("_"), ResourceDirectory)
        && !ours->load(
            QLocale(QLocale::English), FilePrefix, QStringLiteral("_"), ResourceDirectory)) {
        delete ours;
        return QStringLiteral("en");
    }
    QCoreApplication::installTranslator(ours);
    g_ours = ours;

    auto *qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
        g_qt = qt;
    } else {
        delete qt;
    }
    // The file that matched says which language it is.
    const QString file = QFileInfo(ours->filePath()).baseName();
    return file.mid(FilePrefix.size() + 1);
}

void Translations::uninstall()
{
    for (QPointer<QTranslator> *translator : { &g_ours, &g_qt }) {
        if (*translator) {
            QCoreApplication::removeTranslator(*translator);
            delete translator->data();
        }
    }
}

QStringList Translations::available()
{
    QStringList languages { QStringLiteral("en") };
    const auto files = QDir(ResourceDirectory).entryList({ FilePrefix + QStringLiteral("_*.qm") });
    for (const QString &file : files) {
        const QString language = QFileInfo(file).baseName().mid(FilePrefix.size() + 1);
        if (!languages.contains(language))
            languages.append(language);
    }
    return languages;
}

} // namespace Monitor
