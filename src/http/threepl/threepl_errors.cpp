#include "http/threepl/threepl_errors.hpp"

namespace shipline::http::threepl {

int RejectionStatus(const Error& error, bool parse_error) {
  if (parse_error) return 400;
  // The receiver has no words finer than the code: every reason falls to it.
  switch (error.code) {
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kInvalidArgument:
      return 422;
    case ErrorCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

}  // namespace shipline::http::threepl
