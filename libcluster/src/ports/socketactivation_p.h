// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The shared servers' access to sockets inherited through socket activation.
#pragma once

#include "ports/listenrequest.h"

namespace LibCluster::Internal {

// A close-on-exec duplicate of the inherited socket that matches `request` (kind, address,
// port or path; port 0 never matches), or -1. The inherited socket itself stays with the
// library, so the same port can be served again after every worker has closed it.
int activatedSocketFor(const ListenRequest &request);

} // namespace LibCluster::Internal
