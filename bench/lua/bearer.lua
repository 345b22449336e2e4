-- GET with a JWT access token given in the environment variable TOKEN.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
