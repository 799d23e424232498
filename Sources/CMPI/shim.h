#ifndef NATGRAD_CMPI_SHIM_H
#define NATGRAD_CMPI_SHIM_H
#include <mpi.h>

/* Open MPI spells the predefined handles as macros over global objects (`&ompi_mpi_comm_world`),
   which Swift does not import: each is returned by a function here. */
static inline MPI_Comm natgrad_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype natgrad_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype natgrad_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype natgrad_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op natgrad_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op natgrad_mpi_max(void) { return MPI_MAX; }
static inline MPI_Op natgrad_mpi_min(void) { return MPI_MIN; }
static inline MPI_Errhandler natgrad_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline int natgrad_mpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
static inline int natgrad_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
#endif
